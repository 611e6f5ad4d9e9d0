import type { RemovedRun } from '../../core/run.js';
import type { InsertRunCommand, InsertRunResult } from '../run-store.js';
import { runExistsError, runLimitReachedError } from '../run-store-errors.js';
import { tenantNotFoundError } from '../store-errors.js';
import { FINISHED_STATUSES_SQL, PHASE_VERSION_COLUMNS, phaseVersionParameters, RUN_COLUMNS, runParameters } from './run-row.js';
import { rethrowConstraint } from './sql-constraint-violation.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlTransaction } from './sql-executor.js';

const DELETE_CHUNK = 100;
const EVICTION_ORDER = 'ORDER BY finished_at, created_at, id';

/** Removes runs of one tenant and their phase versions. */
export async function deleteRuns(transaction: SqlTransaction, tenantId: string, runIds: readonly string[]): Promise<void> {
  for (let start = 0; start < runIds.length; start += DELETE_CHUNK) {
    const chunk = runIds.slice(start, start + DELETE_CHUNK);
    const list = chunk.map(() => '?').join(', ');
    await transaction.run(`DELETE FROM run_phase_versions WHERE tenant_id = ? AND run_id IN (${list})`, [tenantId, ...chunk]);
    await transaction.run(`DELETE FROM runs WHERE tenant_id = ? AND id IN (${list})`, [tenantId, ...chunk]);
  }
}

/**
 * Adds a run under its tenant's limits, inside one write transaction: lock the tenant row (run creation is
 * serialised per tenant, so two creations never both take the last free place), remove expired runs, evict the
 * oldest finished runs while the tenant is at its limit, then insert the run and its phase versions. Any error
 * rolls all of it back.
 */
export async function insertRunRows(
  transaction: SqlTransaction,
  dialect: SqlDialect,
  tenantLock: string,
  { run, phaseVersions, limits }: InsertRunCommand,
): Promise<InsertRunResult> {
  const tenantId = run.tenantId;
  const tenant = await transaction.get<{ id: string }>(`SELECT id FROM tenants WHERE id = ?${tenantLock}`, [tenantId]);
  if (tenant === undefined) throw tenantNotFoundError(tenantId);
  const removed: RemovedRun[] = [];
  if (limits.expireFinishedBefore !== undefined) {
    const expired = await transaction.all<{ id: string }>(
      `SELECT id FROM runs WHERE tenant_id = ? AND status IN ${FINISHED_STATUSES_SQL} AND finished_at < ? ${EVICTION_ORDER}`,
      [tenantId, limits.expireFinishedBefore],
    );
    await deleteRuns(
      transaction,
      tenantId,
      expired.map((row) => row.id),
    );
    removed.push(...expired.map((row) => ({ tenantId, runId: row.id, reason: 'expired' as const })));
  }
  if ((await transaction.get('SELECT id FROM runs WHERE tenant_id = ? AND id = ?', [tenantId, run.id])) !== undefined) {
    throw runExistsError(run.id);
  }
  const counted = await transaction.get<{ count: number | string }>('SELECT count(*) AS count FROM runs WHERE tenant_id = ?', [
    tenantId,
  ]);
  const excess = Number(counted?.count ?? 0) + 1 - limits.maxRunsPerTenant;
  if (excess > 0) {
    const victims = await transaction.all<{ id: string }>(
      `SELECT id FROM runs WHERE tenant_id = ? AND status IN ${FINISHED_STATUSES_SQL} ${EVICTION_ORDER} LIMIT ?`,
      [tenantId, excess],
    );
    if (victims.length < excess) throw runLimitReachedError(limits.maxRunsPerTenant);
    await deleteRuns(
      transaction,
      tenantId,
      victims.map((row) => row.id),
    );
    removed.push(...victims.map((row) => ({ tenantId, runId: row.id, reason: 'evicted' as const })));
  }
  try {
    await transaction.run(
      `INSERT INTO runs (${RUN_COLUMNS}) VALUES (${RUN_COLUMNS.split(',')
        .map(() => '?')
        .join(', ')})`,
      runParameters(dialect, run),
    );
  } catch (error) {
    rethrowConstraint(error, { unique: () => runExistsError(run.id), foreign_key: () => tenantNotFoundError(tenantId) });
  }
  for (const version of phaseVersions) {
    await transaction.run(
      `INSERT INTO run_phase_versions (${PHASE_VERSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      phaseVersionParameters(dialect, version),
    );
  }
  return { run: structuredClone(run), removed };
}
