import type { Page, PageRequest } from '../../core/page.js';
import type { PhaseVersion, RemovedRun, Run, RunStats } from '../../core/run.js';
import { isFinishedRunStatus } from '../../core/run.js';
import { decodeNumberCursor, decodeStringPairCursor, resolvePageLimit, toPage } from '../page-request.js';
import type { AppendPhaseCommand, InsertRunCommand, InsertRunResult, RunChanges, RunFilter, RunStore } from '../run-store.js';
import {
  phaseNotInRunError,
  phaseVersionConflictError,
  runFinishedError,
  runNotFoundError,
  runRevisionConflictError,
  runRunningError,
} from '../run-store-errors.js';
import { normalizeInstant } from '../store-errors.js';
import {
  FINISHED_STATUSES_SQL,
  PHASE_VERSION_COLUMNS,
  type PhaseVersionRow,
  phaseVersionParameters,
  RUN_COLUMNS,
  type RunRow,
  runLocks,
  toPhaseVersion,
  toRun,
} from './run-row.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlDatabase, SqlExecutor, SqlParameter, SqlTransaction } from './sql-executor.js';
import { readRunStats } from './sql-run-stats.js';
import { deleteRuns, insertRunRows } from './sql-run-writes.js';
import type { WriteQueue } from './write-queue.js';

const SELECT_RUN = `SELECT ${RUN_COLUMNS} FROM runs WHERE tenant_id = ? AND id = ?`;
const SELECT_PHASES = `SELECT ${PHASE_VERSION_COLUMNS} FROM run_phase_versions`;
const CURRENT_PHASE = `${SELECT_PHASES} WHERE tenant_id = ? AND run_id = ? AND phase = ? ORDER BY version DESC LIMIT 1`;
const PHASE_AT = `${SELECT_PHASES} WHERE tenant_id = ? AND run_id = ? AND phase = ? AND version = ?`;
const CURRENT_PHASES =
  `${SELECT_PHASES} v WHERE tenant_id = ? AND run_id = ? AND version = ` +
  '(SELECT max(version) FROM run_phase_versions m WHERE m.tenant_id = v.tenant_id AND m.run_id = v.run_id AND m.phase = v.phase)';

/** The RunStore over any SQL dialect: reads on the reader, every write one command of the group-commit queue. */
export class SqlRunStore implements RunStore {
  readonly #reader: SqlExecutor;
  readonly #dialect: SqlDialect;
  readonly #writes: WriteQueue;
  readonly #locks: { share: string; tenant: string };

  constructor(database: SqlDatabase, writes: WriteQueue) {
    this.#reader = database.reader;
    this.#dialect = database.dialect;
    this.#writes = writes;
    this.#locks = runLocks(database.dialect);
  }

  insert(command: InsertRunCommand): Promise<InsertRunResult> {
    return this.#writes.enqueue((transaction) => insertRunRows(transaction, this.#dialect, this.#locks.tenant, command));
  }

  async get(tenantId: string, runId: string): Promise<Run | undefined> {
    const row = await this.#reader.get<RunRow>(SELECT_RUN, [tenantId, runId]);
    return row === undefined ? undefined : toRun(this.#dialect, row);
  }

  async list(tenantId: string, filter: RunFilter): Promise<Page<Run>> {
    const limit = resolvePageLimit(filter.limit);
    const conditions = ['tenant_id = ?'];
    const parameters: SqlParameter[] = [tenantId];
    if (filter.status !== undefined) {
      conditions.push('status = ?');
      parameters.push(filter.status);
    }
    if (filter.since !== undefined) {
      conditions.push('created_at >= ?');
      parameters.push(normalizeInstant(filter.since));
    }
    if (filter.cursor !== undefined) {
      conditions.push('(created_at, id) > (?, ?)');
      parameters.push(...decodeStringPairCursor(filter.cursor));
    }
    const rows = await this.#reader.all<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM runs WHERE ${conditions.join(' AND ')} ORDER BY created_at, id LIMIT ?`,
      [...parameters, limit + 1],
    );
    return toPage(
      rows.map((row) => toRun(this.#dialect, row)),
      limit,
      (run) => [run.createdAt, run.id],
    );
  }

  update(tenantId: string, runId: string, expectedRevision: number, changes: RunChanges): Promise<Run> {
    return this.#writes.enqueue(async (transaction) => {
      const assignments = ['updated_at = ?', 'revision = revision + 1'];
      const parameters: SqlParameter[] = [changes.updatedAt];
      if (changes.status !== undefined) {
        assignments.push('status = ?');
        parameters.push(changes.status);
      }
      if (changes.currentPhase !== undefined) {
        assignments.push('current_phase = ?');
        parameters.push(changes.currentPhase);
      }
      if (changes.errorLog !== undefined) {
        assignments.push('error_log = ?');
        parameters.push(this.#dialect.encodeJson(changes.errorLog));
      }
      if (changes.finishedAt !== undefined) {
        assignments.push('finished_at = ?');
        parameters.push(changes.finishedAt);
      }
      const result = await transaction.run(
        `UPDATE runs SET ${assignments.join(', ')} WHERE tenant_id = ? AND id = ? AND revision = ?`,
        [...parameters, tenantId, runId, expectedRevision],
      );
      const row = await transaction.get<RunRow>(SELECT_RUN, [tenantId, runId]);
      if (row === undefined) throw runNotFoundError(runId);
      if (result.changes === 0) throw runRevisionConflictError(runId, expectedRevision, Number(row.revision));
      return toRun(this.#dialect, row);
    });
  }

  appendPhase(command: AppendPhaseCommand): Promise<PhaseVersion> {
    return this.#writes.enqueue((transaction) => this.#appendPhase(transaction, command));
  }

  async #appendPhase(transaction: SqlTransaction, command: AppendPhaseCommand): Promise<PhaseVersion> {
    const { tenantId, runId, phase, expectedVersion } = command;
    const run = await transaction.get<Pick<RunRow, 'status' | 'phase_names'>>(
      `SELECT status, phase_names FROM runs WHERE tenant_id = ? AND id = ?${this.#locks.share}`,
      [tenantId, runId],
    );
    if (run === undefined) throw runNotFoundError(runId);
    const status = run.status as Run['status'];
    if (isFinishedRunStatus(status)) throw runFinishedError(runId, status);
    const phaseNames = this.#dialect.decodeJson(run.phase_names) as string[];
    if (!phaseNames.includes(phase)) throw phaseNotInRunError(runId, phase, phaseNames);
    const head = await transaction.get<{ version: number | string | null }>(
      'SELECT max(version) AS version FROM run_phase_versions WHERE tenant_id = ? AND run_id = ? AND phase = ?',
      [tenantId, runId, phase],
    );
    const current = head?.version === null || head?.version === undefined ? null : Number(head.version);
    if (current !== expectedVersion) throw phaseVersionConflictError(phase, expectedVersion, current);
    const version: PhaseVersion = {
      tenantId,
      runId,
      phase,
      version: (current ?? 0) + 1,
      data: command.data,
      contentHash: command.contentHash,
      sizeBytes: command.sizeBytes,
      author: command.author,
      createdAt: command.createdAt,
    };
    try {
      await transaction.run(
        `INSERT INTO run_phase_versions (${PHASE_VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        phaseVersionParameters(this.#dialect, version),
      );
    } catch (error) {
      // Another instance appended the same version between our read and our insert.
      rethrowConstraint(error, { unique: () => phaseVersionConflictError(phase, expectedVersion, version.version) });
    }
    return structuredClone(version);
  }

  async getPhase(tenantId: string, runId: string, phase: string, version?: number): Promise<PhaseVersion | undefined> {
    if (version !== undefined && !Number.isInteger(version)) return undefined;
    const row =
      version === undefined
        ? await this.#reader.get<PhaseVersionRow>(CURRENT_PHASE, [tenantId, runId, phase])
        : await this.#reader.get<PhaseVersionRow>(PHASE_AT, [tenantId, runId, phase, version]);
    return row === undefined ? undefined : toPhaseVersion(this.#dialect, row);
  }

  async currentPhases(tenantId: string, runId: string): Promise<PhaseVersion[]> {
    const rows = await this.#reader.all<PhaseVersionRow>(CURRENT_PHASES, [tenantId, runId]);
    return rows.map((row) => toPhaseVersion(this.#dialect, row));
  }

  async listPhaseVersions(tenantId: string, runId: string, phase: string, page: PageRequest): Promise<Page<PhaseVersion>> {
    const limit = resolvePageLimit(page.limit);
    const after = page.cursor === undefined ? 0 : decodeNumberCursor(page.cursor);
    const rows = await this.#reader.all<PhaseVersionRow>(
      `${SELECT_PHASES} WHERE tenant_id = ? AND run_id = ? AND phase = ? AND version > ? ORDER BY version LIMIT ?`,
      [tenantId, runId, phase, after, limit + 1],
    );
    return toPage(
      rows.map((row) => toPhaseVersion(this.#dialect, row)),
      limit,
      (version) => [version.version],
    );
  }

  async allPhaseVersions(tenantId: string, runId: string): Promise<PhaseVersion[]> {
    const rows = await this.#reader.all<PhaseVersionRow>(
      `${SELECT_PHASES} WHERE tenant_id = ? AND run_id = ? ORDER BY phase, version`,
      [tenantId, runId],
    );
    return rows.map((row) => toPhaseVersion(this.#dialect, row));
  }

  delete(tenantId: string, runId: string): Promise<boolean> {
    return this.#writes.enqueue(async (transaction) => {
      const row = await transaction.get<{ status: string }>(
        `SELECT status FROM runs WHERE tenant_id = ? AND id = ?${this.#dialect.lockForUpdate}`,
        [tenantId, runId],
      );
      if (row === undefined) return false;
      if (!isFinishedRunStatus(row.status as Run['status'])) throw runRunningError(runId);
      await deleteRuns(transaction, tenantId, [runId]);
      return true;
    });
  }

  purgeExpired(finishedBefore: string, tenantId?: string): Promise<RemovedRun[]> {
    const cutoff = normalizeInstant(finishedBefore);
    return this.#writes.enqueue(async (transaction) => {
      const scope = tenantId === undefined ? '' : ' AND tenant_id = ?';
      const rows = await transaction.all<{ tenant_id: string; id: string }>(
        `SELECT tenant_id, id FROM runs WHERE status IN ${FINISHED_STATUSES_SQL} AND finished_at < ?${scope} ` +
          `ORDER BY tenant_id, finished_at, created_at, id${this.#dialect.lockForUpdate}`,
        tenantId === undefined ? [cutoff] : [cutoff, tenantId],
      );
      const byTenant = new Map<string, string[]>();
      for (const row of rows) byTenant.set(row.tenant_id, [...(byTenant.get(row.tenant_id) ?? []), row.id]);
      for (const [owner, ids] of byTenant) await deleteRuns(transaction, owner, ids);
      return rows.map((row) => ({ tenantId: row.tenant_id, runId: row.id, reason: 'expired' as const }));
    });
  }

  stats(tenantId: string): Promise<RunStats> {
    return readRunStats(this.#reader, tenantId);
  }
}
