import type { Page, PageRequest } from '../../core/page.js';
import type { PhaseVersion, RemovedRun, Run, RunStats } from '../../core/run.js';
import { FINISHED_RUN_STATUSES, isFinishedRunStatus } from '../../core/run.js';
import { decodeNumberCursor, decodeStringPairCursor, resolvePageLimit, toPage } from '../page-request.js';
import { compareForEviction, emptyRunStats, isExpiredRun } from '../run-records.js';
import type { AppendPhaseCommand, InsertRunCommand, InsertRunResult, RunChanges, RunFilter, RunStore } from '../run-store.js';
import {
  phaseNotInRunError,
  phaseVersionConflictError,
  runExistsError,
  runFinishedError,
  runLimitReachedError,
  runNotFoundError,
  runRevisionConflictError,
  runRunningError,
} from '../run-store-errors.js';
import { normalizeInstant, tenantNotFoundError } from '../store-errors.js';
import { cloneJson } from './clone-json.js';
import { type MemoryRunRecord, MemoryRunState } from './memory-run-state.js';

/**
 * Runs in memory. Every method runs to completion without awaiting, so each is atomic, as a transaction is in SQL;
 * values go in and out as copies (cloneJson: runs and phase data are JSON).
 */
export class MemoryRunStore implements RunStore {
  readonly #state = new MemoryRunState();
  readonly #tenantExists: (tenantId: string) => boolean;

  constructor(tenantExists: (tenantId: string) => boolean) {
    this.#tenantExists = tenantExists;
  }

  async insert({ run, phaseVersions, limits }: InsertRunCommand): Promise<InsertRunResult> {
    if (!this.#tenantExists(run.tenantId)) throw tenantNotFoundError(run.tenantId);
    const runs = this.#state.tenantRuns(run.tenantId);
    const expired = [...runs.values()].filter((record) => isExpiredRun(record.run, limits.expireFinishedBefore));
    const remaining = [...runs.values()].filter((record) => !expired.includes(record));
    if (remaining.some((record) => record.run.id === run.id)) throw runExistsError(run.id);
    const excess = remaining.length + 1 - limits.maxRunsPerTenant;
    const evicted =
      excess > 0
        ? remaining
            .filter((record) => isFinishedRunStatus(record.run.status))
            .sort((left, right) => compareForEviction(left.run, right.run))
            .slice(0, excess)
        : [];
    if (evicted.length < excess) throw runLimitReachedError(limits.maxRunsPerTenant);
    const removed: RemovedRun[] = [
      ...expired.map((record) => removal(record, 'expired')),
      ...evicted.map((record) => removal(record, 'evicted')),
    ];
    for (const entry of removed) runs.delete(entry.runId);
    const phases = new Map<string, PhaseVersion[]>();
    for (const version of phaseVersions) {
      const line = phases.get(version.phase) ?? [];
      line.push(cloneJson(version));
      phases.set(version.phase, line);
    }
    runs.set(run.id, { run: cloneJson(run), phases });
    return { run: cloneJson(run), removed };
  }

  async get(tenantId: string, runId: string): Promise<Run | undefined> {
    const record = this.#state.find(tenantId, runId);
    return record === undefined ? undefined : cloneJson(record.run);
  }

  async list(tenantId: string, filter: RunFilter): Promise<Page<Run>> {
    const limit = resolvePageLimit(filter.limit);
    const after = filter.cursor === undefined ? undefined : decodeStringPairCursor(filter.cursor);
    const since = filter.since === undefined ? undefined : normalizeInstant(filter.since);
    const rows = [...(this.#state.runsOf(tenantId)?.values() ?? [])]
      .map((record) => record.run)
      .filter((run) => filter.status === undefined || run.status === filter.status)
      .filter((run) => since === undefined || run.createdAt >= since)
      .filter((run) => after === undefined || run.createdAt > after[0] || (run.createdAt === after[0] && run.id > after[1]))
      .sort((left, right) => compareRuns(left, right))
      .slice(0, limit + 1)
      .map((run) => cloneJson(run));
    return toPage(rows, limit, (run) => [run.createdAt, run.id]);
  }

  async update(tenantId: string, runId: string, expectedRevision: number, changes: RunChanges): Promise<Run> {
    const record = this.#require(tenantId, runId);
    if (record.run.revision !== expectedRevision) throw runRevisionConflictError(runId, expectedRevision, record.run.revision);
    const next: Run = { ...record.run, revision: record.run.revision + 1, updatedAt: changes.updatedAt };
    if (changes.status !== undefined) next.status = changes.status;
    if (changes.currentPhase !== undefined) next.currentPhase = changes.currentPhase;
    if (changes.errorLog !== undefined) next.errorLog = cloneJson(changes.errorLog);
    if (changes.finishedAt !== undefined) next.finishedAt = changes.finishedAt;
    record.run = next;
    return cloneJson(next);
  }

  async appendPhase(command: AppendPhaseCommand): Promise<PhaseVersion> {
    const record = this.#require(command.tenantId, command.runId);
    const { run } = record;
    if (isFinishedRunStatus(run.status)) throw runFinishedError(run.id, run.status);
    if (!run.phaseNames.includes(command.phase)) throw phaseNotInRunError(run.id, command.phase, run.phaseNames);
    const line = record.phases.get(command.phase) ?? [];
    const current = line.length === 0 ? null : line.length;
    if (current !== command.expectedVersion) throw phaseVersionConflictError(command.phase, command.expectedVersion, current);
    const version: PhaseVersion = {
      tenantId: command.tenantId,
      runId: command.runId,
      phase: command.phase,
      version: line.length + 1,
      data: cloneJson(command.data),
      contentHash: command.contentHash,
      sizeBytes: command.sizeBytes,
      author: command.author,
      createdAt: command.createdAt,
    };
    line.push(version);
    record.phases.set(command.phase, line);
    return cloneJson(version);
  }

  async getPhase(tenantId: string, runId: string, phase: string, version?: number): Promise<PhaseVersion | undefined> {
    const line = this.#state.find(tenantId, runId)?.phases.get(phase);
    if (line === undefined) return undefined;
    const found = version === undefined ? line[line.length - 1] : Number.isInteger(version) ? line[version - 1] : undefined;
    return found === undefined ? undefined : cloneJson(found);
  }

  async currentPhases(tenantId: string, runId: string): Promise<PhaseVersion[]> {
    const record = this.#state.find(tenantId, runId);
    if (record === undefined) return [];
    return [...record.phases.values()].flatMap((line) => {
      const newest = line[line.length - 1];
      return newest === undefined ? [] : [cloneJson(newest)];
    });
  }

  async listPhaseVersions(tenantId: string, runId: string, phase: string, page: PageRequest): Promise<Page<PhaseVersion>> {
    const limit = resolvePageLimit(page.limit);
    const after = page.cursor === undefined ? 0 : decodeNumberCursor(page.cursor);
    const line = this.#state.find(tenantId, runId)?.phases.get(phase) ?? [];
    const rows = line.filter((version) => version.version > after).slice(0, limit + 1);
    return toPage(
      rows.map((version) => cloneJson(version)),
      limit,
      (version) => [version.version],
    );
  }

  async allPhaseVersions(tenantId: string, runId: string): Promise<PhaseVersion[]> {
    const record = this.#state.find(tenantId, runId);
    if (record === undefined) return [];
    return [...record.phases.keys()]
      .sort()
      .flatMap((phase) => (record.phases.get(phase) ?? []).map((version) => cloneJson(version)));
  }

  async delete(tenantId: string, runId: string): Promise<boolean> {
    const record = this.#state.find(tenantId, runId);
    if (record === undefined) return false;
    if (!isFinishedRunStatus(record.run.status)) throw runRunningError(runId);
    this.#state.runsOf(tenantId)?.delete(runId);
    return true;
  }

  async purgeExpired(finishedBefore: string, tenantId?: string): Promise<RemovedRun[]> {
    const cutoff = normalizeInstant(finishedBefore);
    const removed: RemovedRun[] = [];
    for (const [owner, runs] of this.#state.entries()) {
      if (tenantId !== undefined && owner !== tenantId) continue;
      for (const record of [...runs.values()]) {
        if (!isExpiredRun(record.run, cutoff)) continue;
        runs.delete(record.run.id);
        removed.push(removal(record, 'expired'));
      }
    }
    return removed;
  }

  async stats(tenantId: string): Promise<RunStats> {
    const stats = emptyRunStats();
    for (const record of this.#state.runsOf(tenantId)?.values() ?? []) {
      const { run } = record;
      stats.runs += 1;
      stats.byStatus[run.status] += 1;
      let runBytes = 0;
      for (const line of record.phases.values()) {
        stats.phaseVersions += line.length;
        for (const version of line) stats.dataBytes += version.sizeBytes;
        runBytes += line[line.length - 1]?.sizeBytes ?? 0;
      }
      stats.currentDataBytes += runBytes;
      if (record.phases.size > 0 && isLarger(run.id, runBytes, stats.largestRun))
        stats.largestRun = { runId: run.id, dataBytes: runBytes };
      if (FINISHED_RUN_STATUSES.includes(run.status) && run.finishedAt !== null) {
        if (stats.oldestFinishedAt === null || run.finishedAt < stats.oldestFinishedAt) stats.oldestFinishedAt = run.finishedAt;
      }
    }
    return stats;
  }

  #require(tenantId: string, runId: string): MemoryRunRecord {
    const record = this.#state.find(tenantId, runId);
    if (record === undefined) throw runNotFoundError(runId);
    return record;
  }
}

function removal(record: MemoryRunRecord, reason: RemovedRun['reason']): RemovedRun {
  return { tenantId: record.run.tenantId, runId: record.run.id, reason };
}

/** The largest run by current data bytes; ties go to the smaller id (as in SQL). */
function isLarger(runId: string, bytes: number, largest: RunStats['largestRun']): boolean {
  return largest === null || bytes > largest.dataBytes || (bytes === largest.dataBytes && runId < largest.runId);
}

function compareRuns(left: Run, right: Run): number {
  if (left.createdAt !== right.createdAt) return left.createdAt < right.createdAt ? -1 : 1;
  return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
}
