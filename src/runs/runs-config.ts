import { z } from 'zod';
import { ValidationError } from '../core/errors.js';

/**
 * The `runs` section of the engine configuration (seed 001's CONTEXT_STORE_* settings):
 * `maxRunsPerTenant` (CONTEXT_STORE_MAX_SIZE), `ttlSeconds` (CONTEXT_STORE_TTL), `compression` (CONTEXT_STORE_COMPRESSION).
 */
export const runsConfigSchema = z
  .object({
    /** Most runs a tenant keeps; at the limit the oldest finished run is evicted (a running run never is). */
    maxRunsPerTenant: z.number().int().min(1).max(1_000_000).default(1000),
    /** Finished runs are removed this many seconds after they finished; 0 keeps them until evicted. */
    ttlSeconds: z
      .number()
      .int()
      .min(0)
      .default(24 * 60 * 60),
    /** Export files are gzip-compressed (import reads both). */
    compression: z.boolean().default(true),
    /** How often an engine removes expired runs of every tenant in the background; 0: only when runs are created. */
    sweepIntervalSeconds: z.number().int().min(0).default(600),
    /** Largest run export accepted by import, uncompressed (also bounds gzip decompression). */
    maxImportBytes: z
      .number()
      .int()
      .min(1024)
      .default(64 * 1024 * 1024),
  })
  .strict();

export type RunsConfig = z.output<typeof runsConfigSchema>;

type Env = Record<string, string | undefined>;

function firstSet(env: Env, names: readonly string[]): [string, string] | undefined {
  for (const name of names) {
    const raw = env[name];
    if (raw !== undefined && raw !== '') return [name, raw];
  }
  return undefined;
}

function integerFrom(env: Env, names: readonly string[]): number | undefined {
  const found = firstSet(env, names);
  if (found === undefined) return undefined;
  const value = Number(found[1]);
  if (!Number.isInteger(value)) throw new ValidationError(`${found[0]} must be an integer, got ${JSON.stringify(found[1])}`);
  return value;
}

function booleanFrom(env: Env, names: readonly string[]): boolean | undefined {
  const found = firstSet(env, names);
  if (found === undefined) return undefined;
  const text = found[1].trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new ValidationError(`${found[0]} must be true or false, got ${JSON.stringify(found[1])}`);
}

/**
 * The `runs` settings environment variables give: `CTX_RUNS_*`, or the seed's `CONTEXT_STORE_*` names
 * (a `CTX_RUNS_*` variable wins when both are set). Undefined when none is set.
 */
export function runsConfigFromEnv(env: Env): Partial<RunsConfig> | undefined {
  const entries = {
    maxRunsPerTenant: integerFrom(env, ['CTX_RUNS_MAX_PER_TENANT', 'CONTEXT_STORE_MAX_SIZE']),
    ttlSeconds: integerFrom(env, ['CTX_RUNS_TTL_SECONDS', 'CONTEXT_STORE_TTL']),
    compression: booleanFrom(env, ['CTX_RUNS_COMPRESSION', 'CONTEXT_STORE_COMPRESSION']),
    sweepIntervalSeconds: integerFrom(env, ['CTX_RUNS_SWEEP_INTERVAL_SECONDS']),
    maxImportBytes: integerFrom(env, ['CTX_RUNS_MAX_IMPORT_BYTES']),
  };
  const defined = Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
  return Object.keys(defined).length === 0 ? undefined : (defined as Partial<RunsConfig>);
}
