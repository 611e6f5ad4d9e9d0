import type { JsonValue } from '../core/json.js';
import type { Page } from '../core/page.js';
import type { PhaseVersion, RemovedRun, Run, RunContext, RunStats, RunStatus } from '../core/run.js';
import type { EventBus } from '../events/event-bus.js';
import { isExpiredRun } from '../store/run-records.js';
import type { RunStore } from '../store/run-store.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { parseWith } from '../validation/parse.js';
import { type EvolutionWriters, evolutionWriters } from './evolution-writers.js';
import { type PhaseWriteResult, patchPhase, phaseHistory, readPhase, readRunContext, writePhase } from './phase-writes.js';
import type { RunComparison } from './run-comparison.js';
import { expiryCutoff, type RunDeps, requireTenant } from './run-deps.js';
import {
  type CreateRunInput,
  type ListRunsQuery,
  type LogErrorInput,
  listRunsQuerySchema,
  type PhaseWriteOptions,
} from './run-input.js';
import { createRun, deleteRun, logRunError, purgeExpiredRuns, setCurrentPhase, setRunStatus } from './run-lifecycle.js';
import type { RunTemplate } from './run-template.js';
import { RunTemplateRegistry } from './run-templates.js';
import { comparisonOf, type ExportRunOptions, exportRun, type ImportRunOptions, importRun } from './run-transfer.js';
import type { RunsConfig } from './runs-config.js';

export interface RunStatsView extends RunStats {
  limits: { maxRunsPerTenant: number; ttlSeconds: number; compression: boolean };
}

/**
 * Shared run context for multi-agent pipelines (seed 001): a run per pipeline execution, one version line per phase
 * (parallel writers never clobber each other), comparison, export/import, limits and TTL. Every method is
 * tenant-scoped; unknown tenants and runs (and expired runs) are NotFoundError.
 */
export interface RunService {
  create(input: CreateRunInput): Promise<Run>;
  /** The run with the newest version of each phase. */
  get(tenantId: string, runId: string): Promise<RunContext>;
  list(tenantId: string, query?: ListRunsQuery): Promise<Page<Run>>;
  /** Sets the phase the pipeline is in (seed 001's `update_phase`). */
  updatePhase(tenantId: string, runId: string, phase: string): Promise<Run>;
  setStatus(tenantId: string, runId: string, status: RunStatus): Promise<Run>;
  logError(tenantId: string, runId: string, entry: LogErrorInput): Promise<Run>;
  /** Replaces a phase's data: a new version (201) or, with identical data, the current one (`created: false`). */
  writePhase(
    tenantId: string,
    runId: string,
    phase: string,
    data: unknown,
    options?: PhaseWriteOptions,
  ): Promise<PhaseWriteResult>;
  /** Merges an RFC 7386 patch into a phase's newest data, retrying on concurrent writes (no field is lost). */
  patchPhase(
    tenantId: string,
    runId: string,
    phase: string,
    patch: JsonValue,
    options?: PhaseWriteOptions,
  ): Promise<PhaseWriteResult>;
  getPhase(tenantId: string, runId: string, phase: string, options?: { version?: number | undefined }): Promise<PhaseVersion>;
  phaseHistory(
    tenantId: string,
    runId: string,
    phase: string,
    page?: { cursor?: string | undefined; limit?: number | undefined },
  ): Promise<Page<PhaseVersion>>;
  getComparisonData(tenantId: string, runId: string): Promise<RunComparison>;
  exportRun(tenantId: string, runId: string, options?: ExportRunOptions): Promise<Buffer>;
  importRun(tenantId: string, file: Uint8Array, options?: ImportRunOptions): Promise<Run>;
  /** Deletes a finished run. */
  delete(tenantId: string, runId: string): Promise<void>;
  /** Removes expired finished runs now (of one tenant, or all); also done when runs are created and in the background. */
  purgeExpired(tenantId?: string): Promise<RemovedRun[]>;
  stats(tenantId: string): Promise<RunStatsView>;
  /** The `store_*` writers of seed 001 for a run of the `evolution` template. */
  evolution(tenantId: string, runId: string): EvolutionWriters;
  registerTemplate(template: RunTemplate): void;
  templates(): RunTemplate[];
  /** Stops the background expiry sweep. */
  close(): void;
}

export interface RunServiceOptions {
  store: RunStore;
  tenants: TenantService;
  bus: EventBus;
  config: RunsConfig;
  maxValueBytes: number;
  now?: (() => string) | undefined;
}

export function createRunService(options: RunServiceOptions): RunService {
  const templates = new RunTemplateRegistry();
  const deps: RunDeps = {
    store: options.store,
    tenants: options.tenants,
    bus: options.bus,
    templates,
    config: options.config,
    maxValueBytes: options.maxValueBytes,
    now: options.now ?? (() => new Date().toISOString()),
  };
  const sweeper = startSweeper(deps);
  const service: RunService = {
    create: (input) => createRun(deps, input),
    get: (tenantId, runId) => readRunContext(deps, tenantId, runId),
    async list(tenantId, query = {}) {
      await requireTenant(deps, tenantId);
      const parsed = parseWith(listRunsQuerySchema, query, 'run list query');
      const page = await deps.store.list(tenantId, parsed);
      const cutoff = expiryCutoff(deps);
      return { ...page, items: page.items.filter((run) => !isExpiredRun(run, cutoff)) };
    },
    updatePhase: (tenantId, runId, phase) => setCurrentPhase(deps, tenantId, runId, phase),
    setStatus: (tenantId, runId, status) => setRunStatus(deps, tenantId, runId, status),
    logError: (tenantId, runId, entry) => logRunError(deps, tenantId, runId, entry),
    writePhase: (tenantId, runId, phase, data, writeOptions) => writePhase(deps, { tenantId, runId, phase }, data, writeOptions),
    patchPhase: (tenantId, runId, phase, patch, writeOptions) =>
      patchPhase(deps, { tenantId, runId, phase }, patch, writeOptions),
    getPhase: (tenantId, runId, phase, readOptions = {}) => readPhase(deps, { tenantId, runId, phase }, readOptions.version),
    phaseHistory: (tenantId, runId, phase, page) => phaseHistory(deps, { tenantId, runId, phase }, page),
    getComparisonData: (tenantId, runId) => comparisonOf(deps, tenantId, runId),
    exportRun: (tenantId, runId, exportOptions) => exportRun(deps, tenantId, runId, exportOptions),
    importRun: (tenantId, file, importOptions) => importRun(deps, tenantId, file, importOptions),
    delete: (tenantId, runId) => deleteRun(deps, tenantId, runId),
    purgeExpired: (tenantId) => purgeExpiredRuns(deps, tenantId),
    async stats(tenantId) {
      await requireTenant(deps, tenantId);
      const stats = await deps.store.stats(tenantId);
      const { maxRunsPerTenant, ttlSeconds, compression } = deps.config;
      return { ...stats, limits: { maxRunsPerTenant, ttlSeconds, compression } };
    },
    evolution: (tenantId, runId) =>
      evolutionWriters((phase, data, writeOptions) => writePhase(deps, { tenantId, runId, phase }, data, writeOptions)),
    registerTemplate: (template) => templates.register(template),
    templates: () => templates.list(),
    close: () => sweeper?.stop(),
  };
  return service;
}

/** Removes expired runs of every tenant every `sweepIntervalSeconds` (unref'd: it never keeps the process alive). */
function startSweeper(deps: RunDeps): { stop(): void } | undefined {
  const { sweepIntervalSeconds, ttlSeconds } = deps.config;
  if (sweepIntervalSeconds === 0 || ttlSeconds === 0) return undefined;
  const timer = setInterval(() => {
    purgeExpiredRuns(deps).catch(() => {
      // The next sweep tries again; creating a run also removes its tenant's expired runs.
    });
  }, sweepIntervalSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
