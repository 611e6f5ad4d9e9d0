import { existsSync, readFileSync } from 'node:fs';
import { ValidationError } from '../core/errors.js';
import { knowledgeConfigFromEnv } from '../knowledge/knowledge-config.js';
import { runsConfigFromEnv } from '../runs/runs-config.js';
import { describeIssues } from '../validation/parse.js';
import { type EngineConfig, type EngineConfigInput, engineConfigSchema } from './engine-config.js';

export const CONFIG_FILE_NAME = 'context-engine.config.json';

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new ValidationError(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}

function text(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw === '' ? undefined : raw;
}

function defined<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The configuration that `CTX_*` environment variables give. */
export function configFromEnv(env: Env): EngineConfigInput {
  const rateMax = integer(env, 'CTX_RATE_LIMIT_MAX');
  const rateWindow = integer(env, 'CTX_RATE_LIMIT_WINDOW_MS');
  return defined({
    databaseUrl: text(env, 'CTX_DATABASE_URL'),
    redisUrl: text(env, 'CTX_REDIS_URL'),
    server: defined({
      host: text(env, 'CTX_HOST'),
      port: integer(env, 'CTX_PORT'),
      bodyLimitBytes: integer(env, 'CTX_BODY_LIMIT_BYTES'),
      logLevel: text(env, 'CTX_LOG_LEVEL') as never,
      rateLimit: rateMax === undefined && rateWindow === undefined ? undefined : defined({ max: rateMax, windowMs: rateWindow }),
      allowedHosts: text(env, 'CTX_ALLOWED_HOSTS')
        ?.split(',')
        .map((host) => host.trim()),
    }),
    limits: defined({ maxValueBytes: integer(env, 'CTX_MAX_VALUE_BYTES') }),
    runs: runsConfigFromEnv(env),
    knowledge: knowledgeConfigFromEnv(env),
  }) as EngineConfigInput;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges plain objects; later layers win. */
export function mergeConfig(...layers: unknown[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const layer of layers) {
    if (!isObject(layer)) continue;
    for (const [key, value] of Object.entries(layer)) {
      result[key] = isObject(value) && isObject(result[key]) ? mergeConfig(result[key], value) : value;
    }
  }
  return result;
}

/** Validates a config object, completing defaults; a bad field is a ValidationError naming it. */
export function parseConfig(input: unknown): EngineConfig {
  const result = engineConfigSchema.safeParse(input ?? {});
  if (!result.success) throw new ValidationError(`Invalid configuration: ${describeIssues(result.error.issues)}`);
  return Object.freeze(result.data);
}

/** File (`context-engine.config.json` or CTX_CONFIG), then `CTX_*` variables, then explicit overrides. */
export function loadConfig(overrides: EngineConfigInput = {}, env: Env = process.env): EngineConfig {
  const path = text(env, 'CTX_CONFIG') ?? CONFIG_FILE_NAME;
  let fromFile: unknown = {};
  if (existsSync(path)) {
    try {
      fromFile = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new ValidationError(`Cannot read configuration file ${path}: ${(error as Error).message}`);
    }
  } else if (env.CTX_CONFIG) {
    throw new ValidationError(`Configuration file ${path} (CTX_CONFIG) does not exist`);
  }
  return parseConfig(mergeConfig(fromFile, configFromEnv(env), overrides));
}
