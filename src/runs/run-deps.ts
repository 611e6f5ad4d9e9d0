import type { z } from 'zod';
import type { RemovedRun, Run } from '../core/run.js';
import { isFinishedRunStatus } from '../core/run.js';
import { TENANT_ID_PATTERN } from '../core/tenant.js';
import type { EventBus } from '../events/event-bus.js';
import { isExpiredRun } from '../store/run-records.js';
import type { RunLimits, RunStore } from '../store/run-store.js';
import { runNotFoundError } from '../store/run-store-errors.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { parseWith } from '../validation/parse.js';
import { tenantIdSchema } from '../validation/schemas.js';
import { RUN_ID_PATTERN, runIdSchema } from './run-input.js';
import type { RunTemplateRegistry } from './run-templates.js';
import type { RunsConfig } from './runs-config.js';

/** What the run services share. */
export interface RunDeps {
  store: RunStore;
  tenants: TenantService;
  bus: EventBus;
  templates: RunTemplateRegistry;
  config: RunsConfig;
  /** Largest phase data (canonical JSON bytes): the engine's `limits.maxValueBytes`. */
  maxValueBytes: number;
  /** The current instant as ISO-8601 (injectable for tests of TTL). */
  now: () => string;
}

/** Finished runs that finished before this instant are expired (undefined: no TTL). */
export function expiryCutoff(deps: RunDeps): string | undefined {
  if (deps.config.ttlSeconds === 0) return undefined;
  return new Date(Date.parse(deps.now()) - deps.config.ttlSeconds * 1000).toISOString();
}

export function limitsOf(deps: RunDeps): RunLimits {
  return { maxRunsPerTenant: deps.config.maxRunsPerTenant, expireFinishedBefore: expiryCutoff(deps) };
}

/** A visible run of an existing tenant: NotFoundError for an unknown tenant or run, and for an expired run. */
export async function requireRun(deps: RunDeps, tenantId: string, runId: string): Promise<Run> {
  await requireTenant(deps, tenantId);
  checkMatches(RUN_ID_PATTERN, runIdSchema, runId, 'run id');
  const run = await deps.store.get(tenantId, runId);
  // Only a finished run can have expired: the cutoff (a clock read and two date conversions) is computed for those.
  if (run === undefined || (isFinishedRunStatus(run.status) && isExpiredRun(run, expiryCutoff(deps)))) {
    throw runNotFoundError(runId);
  }
  return run;
}

export async function requireTenant(deps: RunDeps, tenantId: string): Promise<void> {
  checkMatches(TENANT_ID_PATTERN, tenantIdSchema, tenantId, 'tenant id');
  await deps.tenants.require(tenantId);
}

/**
 * Validates an identifier whose schema is exactly `z.string().regex(pattern)`: the plain regex test on the hot path,
 * and the schema (for its precise message) only when that test fails.
 */
export function checkMatches(pattern: RegExp, schema: z.ZodType, value: unknown, what: string): void {
  if (typeof value === 'string' && pattern.test(value)) return;
  parseWith(schema, value, what);
}

export function emitRemoved(deps: RunDeps, removed: readonly RemovedRun[]): void {
  for (const entry of removed) deps.bus.emit('run.removed', entry);
}
