import type { Page, PageRequest } from '../core/page.js';
import type { PhaseVersion, RemovedRun, Run, RunErrorEntry, RunStats, RunStatus } from '../core/run.js';

/** What bounds a tenant's runs when one is added. */
export interface RunLimits {
  /** Most runs a tenant keeps: at the limit, the oldest finished runs are evicted; running runs never are. */
  maxRunsPerTenant: number;
  /** Finished runs whose `finishedAt` is before this instant (ISO-8601) are expired and removed; undefined: no TTL. */
  expireFinishedBefore?: string | undefined;
}

/** A new run, with the phase versions it already has (an import), added under the tenant's limits. */
export interface InsertRunCommand {
  run: Run;
  /** Phase versions to add with it, each phase's versions contiguous from 1 (empty for a new run). */
  phaseVersions: PhaseVersion[];
  limits: RunLimits;
}

export interface InsertRunResult {
  run: Run;
  /** Runs removed to make room (evicted) or because their TTL had passed (expired). */
  removed: RemovedRun[];
}

/** The run-row fields a change may set; the store sets `revision` (+1) itself. */
export interface RunChanges {
  status?: RunStatus | undefined;
  currentPhase?: string | null | undefined;
  errorLog?: RunErrorEntry[] | undefined;
  finishedAt?: string | null | undefined;
  updatedAt: string;
}

/** A new version of one phase, appended only when the phase's newest version is still `expectedVersion`. */
export interface AppendPhaseCommand {
  tenantId: string;
  runId: string;
  phase: string;
  /** The phase's newest version now, or null when it has none; a mismatch is ConflictError `phase_version_conflict`. */
  expectedVersion: number | null;
  data: PhaseVersion['data'];
  contentHash: string;
  sizeBytes: number;
  author: string;
  createdAt: string;
}

export interface RunFilter extends PageRequest {
  status?: RunStatus | undefined;
  /** Runs created at or after this instant (ISO-8601). */
  since?: string | undefined;
}

/**
 * Runs and their phase version lines. Every method is scoped by tenant, except `purgeExpired` without a tenant
 * (maintenance). Errors (same codes on every backend): `tenant_not_found`, `run_not_found`, `run_exists`,
 * `run_limit_reached`, `run_revision_conflict`, `run_finished`, `phase_not_in_run`, `phase_version_conflict`.
 */
export interface RunStore {
  /** Adds a run (and its phase versions) atomically, first removing expired runs and, at the limit, the oldest finished ones. */
  insert(command: InsertRunCommand): Promise<InsertRunResult>;
  get(tenantId: string, runId: string): Promise<Run | undefined>;
  /** Ordered by (createdAt, id). */
  list(tenantId: string, filter: RunFilter): Promise<Page<Run>>;
  /** Compare-and-set on the run row: applies `changes` only when its revision is still `expectedRevision`. */
  update(tenantId: string, runId: string, expectedRevision: number, changes: RunChanges): Promise<Run>;
  /** Appends a phase version; refused for a finished run, a phase the run does not have, or a stale expected version. */
  appendPhase(command: AppendPhaseCommand): Promise<PhaseVersion>;
  /** A phase's newest version, or the given one. */
  getPhase(tenantId: string, runId: string, phase: string, version?: number): Promise<PhaseVersion | undefined>;
  /** The newest version of every phase written so far, in no particular order. */
  currentPhases(tenantId: string, runId: string): Promise<PhaseVersion[]>;
  /** One phase's versions, oldest first. */
  listPhaseVersions(tenantId: string, runId: string, phase: string, page: PageRequest): Promise<Page<PhaseVersion>>;
  /** Every version of every phase of a run, ordered by (phase, version): for export. */
  allPhaseVersions(tenantId: string, runId: string): Promise<PhaseVersion[]>;
  /** Removes a finished run and its phases; ConflictError `run_running` for a running run; false when absent. */
  delete(tenantId: string, runId: string): Promise<boolean>;
  /** Removes finished runs whose `finishedAt` is before `finishedBefore` (one tenant, or all); never a running run. */
  purgeExpired(finishedBefore: string, tenantId?: string): Promise<RemovedRun[]>;
  stats(tenantId: string): Promise<RunStats>;
}
