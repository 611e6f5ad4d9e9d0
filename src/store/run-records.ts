import type { Run, RunStats } from '../core/run.js';
import { isFinishedRunStatus } from '../core/run.js';

/** Helpers every RunStore backend shares: expiry, eviction order, empty stats. */

type RunOrderFields = Pick<Run, 'id' | 'status' | 'createdAt' | 'finishedAt'>;

/** True when a run is finished and its `finishedAt` is before the cutoff (a running run never expires). */
export function isExpiredRun(run: RunOrderFields, expireFinishedBefore: string | undefined): boolean {
  return (
    expireFinishedBefore !== undefined &&
    isFinishedRunStatus(run.status) &&
    run.finishedAt !== null &&
    run.finishedAt < expireFinishedBefore
  );
}

/** Eviction order: the run that finished first goes first (then the oldest, then by id). */
export function compareForEviction(left: RunOrderFields, right: RunOrderFields): number {
  return (
    compare(left.finishedAt ?? '', right.finishedAt ?? '') ||
    compare(left.createdAt, right.createdAt) ||
    compare(left.id, right.id)
  );
}

function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

export function emptyRunStats(): RunStats {
  return {
    runs: 0,
    byStatus: { running: 0, completed: 0, failed: 0, cancelled: 0 },
    phaseVersions: 0,
    dataBytes: 0,
    currentDataBytes: 0,
    largestRun: null,
    oldestFinishedAt: null,
  };
}
