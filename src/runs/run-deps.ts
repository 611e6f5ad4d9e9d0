import type { RemovedRun, Run } from '../core/run.js';
import type { EventBus } from '../events/event-bus.js';
import { isExpiredRun } from '../store/run-records.js';
import type { RunLimits, RunStore } from '../store/run-store.js';
import { runNotFoundError } from '../store/run-store-errors.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { parseWith } from '../validation/parse.js';
import { tenantIdSchema } from '../validation/schemas.js';
import { runIdSchema } from './run-input.js';
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
  parseWith(runIdSchema, runId, 'run id');
  const run = await deps.store.get(tenantId, runId);
  if (run === undefined || isExpiredRun(run, expiryCutoff(deps))) throw runNotFoundError(runId);
  return run;
}

export async function requireTenant(deps: RunDeps, tenantId: string): Promise<void> {
  parseWith(tenantIdSchema, tenantId, 'tenant id');
  await deps.tenants.require(tenantId);
}

export function emitRemoved(deps: RunDeps, removed: readonly RemovedRun[]): void {
  for (const entry of removed) deps.bus.emit('run.removed', entry);
}
