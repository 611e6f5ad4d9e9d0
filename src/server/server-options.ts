import type { EngineConfig } from '../config/engine-config.js';

type LogLevel = EngineConfig['server']['logLevel'];

/** Options of `createServer`; each defaults to the engine's `config.server`. */
export interface ServerOptions {
  /** The address the server listens on: decides open mode (no keys + loopback). */
  host?: string | undefined;
  logLevel?: LogLevel | undefined;
  bodyLimitBytes?: number | undefined;
  rateLimit?: { max: number; windowMs: number } | undefined;
  allowedHosts?: readonly string[] | undefined;
  /** How long the "do any API keys exist" answer and verified keys are cached (default 1000 ms): a revoked key stops working within it. */
  keyCountTtlMs?: number | undefined;
  /** Where log lines go (default stdout). */
  logStream?: { write(line: string): unknown } | undefined;
}

export interface ResolvedServerOptions {
  host: string;
  logLevel: LogLevel;
  bodyLimitBytes: number;
  rateLimit: { max: number; windowMs: number };
  allowedHosts: readonly string[];
  keyCountTtlMs: number;
}

/** Room for a maximal value plus its JSON envelope (escaping can double a string's size). */
export function defaultBodyLimit(config: EngineConfig): number {
  return config.limits.maxValueBytes * 2 + 64 * 1024;
}

export function resolveServerOptions(config: EngineConfig, options: ServerOptions): Readonly<ResolvedServerOptions> {
  const server = config.server;
  return Object.freeze({
    host: options.host ?? server.host,
    logLevel: options.logLevel ?? server.logLevel,
    bodyLimitBytes: options.bodyLimitBytes ?? server.bodyLimitBytes ?? defaultBodyLimit(config),
    rateLimit: options.rateLimit ?? server.rateLimit,
    allowedHosts: options.allowedHosts ?? server.allowedHosts,
    keyCountTtlMs: options.keyCountTtlMs ?? 1000,
  });
}
