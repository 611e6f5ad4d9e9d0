import type { JsonObject, JsonValue } from './json.js';

/** A run is active while `running`; the other statuses are final (a finished run no longer changes). */
export const RUN_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

/** A phase name: `original_analysis`, `external_research`, … */
export const PHASE_NAME_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

export function isFinishedRunStatus(status: RunStatus): boolean {
  return status !== 'running';
}

/** One entry of a run's error log. */
export interface RunErrorEntry {
  at: string;
  message: string;
  phase?: string | undefined;
  agent?: string | undefined;
}

/**
 * A multi-phase pipeline context (seed 001's EvolutionContext). The run row holds what the whole pipeline shares;
 * every phase's data is a version line of its own (PhaseVersion), so parallel phase writers never touch the same row.
 */
export interface Run {
  tenantId: string;
  id: string;
  /** The phase template the run follows (`evolution` by default), or null for an ad-hoc list of phases. */
  template: string | null;
  /** The phases of this run, in pipeline order. */
  phaseNames: string[];
  targetPath: string;
  focusAreas: string[];
  status: RunStatus;
  currentPhase: string | null;
  errorLog: RunErrorEntry[];
  metadata: JsonObject;
  createdAt: string;
  /** The last change of the run row (status, current phase, error log); phase writes do not touch it. */
  updatedAt: string;
  /** When the run reached a final status; null while running. */
  finishedAt: string | null;
  /** Compare-and-set counter of the run row: 1 at creation, +1 per change. */
  revision: number;
}

/** One immutable version of one phase's data. */
export interface PhaseVersion {
  tenantId: string;
  runId: string;
  phase: string;
  /** 1, 2, 3 … per (run, phase). */
  version: number;
  data: JsonValue;
  /** sha256 (hex) of the canonical JSON (RFC 8785) of `data`. */
  contentHash: string;
  /** Bytes of the canonical JSON of `data`. */
  sizeBytes: number;
  /** The agent (or person) that wrote it. */
  author: string;
  createdAt: string;
}

/** A run with the current version of each of its phases (null when not written yet). */
export interface RunContext extends Run {
  phases: Record<string, PhaseVersion | null>;
}

/** Sizes and counts of a tenant's runs. */
export interface RunStats {
  runs: number;
  byStatus: Record<RunStatus, number>;
  phaseVersions: number;
  /** Canonical JSON bytes of every phase version kept (history included). */
  dataBytes: number;
  /** Canonical JSON bytes of the current phase versions only. */
  currentDataBytes: number;
  largestRun: { runId: string; dataBytes: number } | null;
  oldestFinishedAt: string | null;
}

/** Why a run was removed. */
export type RunRemovalReason = 'evicted' | 'expired' | 'deleted';

export interface RemovedRun {
  tenantId: string;
  runId: string;
  reason: RunRemovalReason;
}
