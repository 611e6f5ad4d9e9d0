import type { JsonObject, JsonValue } from '../../core/json.js';
import type { PhaseVersion, Run, RunErrorEntry, RunStatus } from '../../core/run.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlParameter } from './sql-executor.js';

export interface RunRow {
  tenant_id: string;
  id: string;
  template: string | null;
  phase_names: unknown;
  target_path: string;
  focus_areas: unknown;
  status: string;
  current_phase: string | null;
  error_log: unknown;
  metadata: unknown;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  revision: number | string;
}

export interface PhaseVersionRow {
  tenant_id: string;
  run_id: string;
  phase: string;
  version: number | string;
  data: unknown;
  content_hash: string;
  size_bytes: number | string;
  author: string;
  created_at: string;
}

export const RUN_COLUMNS =
  'tenant_id, id, template, phase_names, target_path, focus_areas, status, current_phase, error_log, metadata, ' +
  'created_at, updated_at, finished_at, revision';

export const PHASE_VERSION_COLUMNS = 'tenant_id, run_id, phase, version, data, content_hash, size_bytes, author, created_at';

export const FINISHED_STATUSES_SQL = "('completed', 'failed', 'cancelled')";

export function toRun(dialect: SqlDialect, row: RunRow): Run {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    template: row.template,
    phaseNames: dialect.decodeJson(row.phase_names) as string[],
    targetPath: row.target_path,
    focusAreas: dialect.decodeJson(row.focus_areas) as string[],
    status: row.status as RunStatus,
    currentPhase: row.current_phase,
    errorLog: dialect.decodeJson(row.error_log) as RunErrorEntry[],
    metadata: dialect.decodeJson(row.metadata) as JsonObject,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    revision: Number(row.revision),
  };
}

export function runParameters(dialect: SqlDialect, run: Run): SqlParameter[] {
  return [
    run.tenantId,
    run.id,
    run.template,
    dialect.encodeJson(run.phaseNames),
    run.targetPath,
    dialect.encodeJson(run.focusAreas),
    run.status,
    run.currentPhase,
    dialect.encodeJson(run.errorLog),
    dialect.encodeJson(run.metadata),
    run.createdAt,
    run.updatedAt,
    run.finishedAt,
    run.revision,
  ];
}

export function toPhaseVersion(dialect: SqlDialect, row: PhaseVersionRow): PhaseVersion {
  return {
    tenantId: row.tenant_id,
    runId: row.run_id,
    phase: row.phase,
    version: Number(row.version),
    data: dialect.decodeJson(row.data) as JsonValue,
    contentHash: row.content_hash,
    sizeBytes: Number(row.size_bytes),
    author: row.author,
    createdAt: row.created_at,
  };
}

export function phaseVersionParameters(dialect: SqlDialect, version: PhaseVersion): SqlParameter[] {
  return [
    version.tenantId,
    version.runId,
    version.phase,
    version.version,
    dialect.encodeValue(version.data),
    version.contentHash,
    version.sizeBytes,
    version.author,
    version.createdAt,
  ];
}

/**
 * Row locks the run store takes in PostgreSQL ('' in SQLite, whose write transaction already excludes every other
 * writer): phase writers share the run row (so a status change waits for them, and they for it) without excluding
 * each other; run creation serialises per tenant with a lock that does not block foreign-key checks.
 */
export function runLocks(dialect: SqlDialect): { share: string; tenant: string } {
  if (dialect.lockForUpdate === '') return { share: '', tenant: '' };
  return { share: ' FOR SHARE', tenant: ' FOR NO KEY UPDATE' };
}
