import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../core/errors.js';
import type { Engine } from '../engine.js';
import { createServer } from './create-server.js';
import { isLoopbackHost } from './loopback.js';
import type { ServerOptions } from './server-options.js';

export interface StartServerOptions extends ServerOptions {
  /** Default: the engine's `config.server.host` (127.0.0.1). */
  host?: string | undefined;
  /** Default: the engine's `config.server.port` (8080); 0 picks a free port. */
  port?: number | undefined;
}

export interface RunningServer {
  app: FastifyInstance;
  /** e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  /** Stops listening (the engine stays open: its owner closes it). */
  close(): Promise<void>;
}

/** Refuses a non-loopback bind while no API key exists (the server would be open to the network). */
export async function assertBindAllowed(engine: Engine, host: string): Promise<void> {
  if (isLoopbackHost(host)) return;
  if ((await engine.apiKeys.count()) > 0) return;
  throw new ValidationError(
    `Refusing to listen on ${host}: no API keys exist, so the API would be open to the network. ` +
      'Create a key first (ctx keys create --role admin), or bind to 127.0.0.1 for open local use.',
    { code: 'api_keys_required' },
  );
}

/** Checks the bind rule, creates the server and listens. */
export async function startServer(engine: Engine, options: StartServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? engine.config.server.host;
  const port = options.port ?? engine.config.server.port;
  await assertBindAllowed(engine, host);
  const app = await createServer(engine, { ...options, host });
  await app.listen({ host, port });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return { app, url: `http://${urlHost}:${boundPort}`, port: boundPort, close: () => app.close() };
}
