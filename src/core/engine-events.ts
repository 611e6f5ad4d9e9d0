import type { ContextUpdate } from './context-update.js';
import type { ContextVersion } from './context-version.js';
import type { MilestoneCompletion } from './journey.js';
import type { PhaseVersion, RemovedRun, Run, RunErrorEntry, RunStatus } from './run.js';
import type { Tenant } from './tenant.js';

/** Every event the engine emits, by name (`noun.verb`, past tense) and payload. */
export interface EngineEventMap {
  'tenant.created': { tenant: Tenant };
  'context.updated': { tenantId: string; key: string; version: ContextVersion; update: ContextUpdate };
  'update.proposed': { tenantId: string; update: ContextUpdate };
  'update.approved': { tenantId: string; update: ContextUpdate; version?: ContextVersion | undefined };
  'update.rejected': { tenantId: string; update: ContextUpdate };
  'update.conflicted': { tenantId: string; update: ContextUpdate };
  'run.created': { tenantId: string; runId: string; run: Run };
  /** A new version of a phase (without its data, which may be large: read it by version). */
  'run.phase_written': { tenantId: string; runId: string; phase: string; version: Omit<PhaseVersion, 'data'> };
  'run.phase_changed': { tenantId: string; runId: string; from: string | null; to: string; run: Run };
  'run.status_changed': { tenantId: string; runId: string; from: RunStatus; to: RunStatus; run: Run };
  'run.error_logged': { tenantId: string; runId: string; error: RunErrorEntry };
  'run.removed': RemovedRun;
  /** A user completed a milestone (seed 002); `next` is the milestone now current (null when none is). */
  'milestone.completed': {
    tenantId: string;
    userId: string;
    milestone: string;
    completion: MilestoneCompletion;
    next: string | null;
  };
  /** A user's progress over the journey changed (seed 002's publish_progress). */
  'milestone.progress': {
    tenantId: string;
    userId: string;
    milestone: string;
    /** 0–100 for this milestone (100 once completed). */
    progress: number;
    completed: number;
    total: number;
    percent: number;
  };
}

export type EngineEventName = keyof EngineEventMap;
