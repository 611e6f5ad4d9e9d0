import type { RunStats, RunStatus } from '../../core/run.js';
import { emptyRunStats } from '../run-records.js';
import { FINISHED_STATUSES_SQL } from './run-row.js';
import type { SqlExecutor } from './sql-executor.js';

type Count = number | string | null;

/** Counts and sizes of a tenant's runs, in four aggregate queries. */
export async function readRunStats(reader: SqlExecutor, tenantId: string): Promise<RunStats> {
  const [statuses, versions, perRun, oldest] = await Promise.all([
    reader.all<{ status: string; count: Count }>(
      'SELECT status, count(*) AS count FROM runs WHERE tenant_id = ? GROUP BY status',
      [tenantId],
    ),
    reader.get<{ count: Count; bytes: Count }>(
      'SELECT count(*) AS count, sum(size_bytes) AS bytes FROM run_phase_versions WHERE tenant_id = ?',
      [tenantId],
    ),
    reader.all<{ run_id: string; bytes: Count }>(
      'SELECT run_id, sum(size_bytes) AS bytes FROM run_phase_versions v WHERE tenant_id = ? AND version = ' +
        '(SELECT max(version) FROM run_phase_versions m WHERE m.tenant_id = v.tenant_id AND m.run_id = v.run_id AND m.phase = v.phase) ' +
        'GROUP BY run_id ORDER BY run_id',
      [tenantId],
    ),
    reader.get<{ oldest: string | null }>(
      `SELECT min(finished_at) AS oldest FROM runs WHERE tenant_id = ? AND status IN ${FINISHED_STATUSES_SQL}`,
      [tenantId],
    ),
  ]);
  const stats = emptyRunStats();
  for (const row of statuses) {
    const count = Number(row.count ?? 0);
    stats.byStatus[row.status as RunStatus] = count;
    stats.runs += count;
  }
  stats.phaseVersions = Number(versions?.count ?? 0);
  stats.dataBytes = Number(versions?.bytes ?? 0);
  for (const row of perRun) {
    const bytes = Number(row.bytes ?? 0);
    stats.currentDataBytes += bytes;
    if (stats.largestRun === null || bytes > stats.largestRun.dataBytes)
      stats.largestRun = { runId: row.run_id, dataBytes: bytes };
  }
  stats.oldestFinishedAt = oldest?.oldest ?? null;
  return stats;
}
