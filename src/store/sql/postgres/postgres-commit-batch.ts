import type { CommitBatchLockRequest, CommitBatchRows, CommitBatchStatements } from '../commit-batch-statements.js';
import { UPDATE_DATA_COLUMNS } from '../context-update-row.js';
import { CONTEXT_VERSION_COLUMNS } from '../context-version-row.js';

/**
 * A commit batch in two statements (two round trips) whatever its size: CTEs that read the tenants and lock the
 * updates and heads, in that order (as the per-table statements did); then writable CTEs that insert the versions,
 * upsert the heads, insert and replace the updates. Rows travel as one JSON array per table
 * (`json_to_recordset`), so the statement text — and its prepared plan — is the same for every batch.
 */

/** PostgreSQL types of the columns a commit writes; JSON columns travel as encoded text and are cast to jsonb. */
const COLUMN_TYPES: Record<string, string> = {
  tenant_id: 'text',
  key: 'text',
  version: 'integer',
  value: 'text',
  deleted: 'integer',
  content_hash: 'text',
  source: 'text',
  author: 'text',
  created_at: 'text',
  parent_version: 'integer',
  update_id: 'text',
  tokens_o200k: 'integer',
  tokens_cl100k: 'integer',
  updated_at: 'text',
  id: 'text',
  op: 'text',
  payload: 'text',
  confidence: 'double precision',
  comment: 'text',
  status: 'text',
  flags: 'text',
  review_reasons: 'text',
  reviewed_by: 'text',
  reviewed_at: 'text',
  review_note: 'text',
  applied_version: 'integer',
  reason: 'text',
};
const JSON_COLUMNS = new Set(['value', 'payload', 'flags', 'review_reasons']);

const VERSION_COLUMNS = CONTEXT_VERSION_COLUMNS.split(', ');
const HEAD_COLUMNS = ['tenant_id', 'key', 'version', 'deleted', 'updated_at'];
const NEW_UPDATE_COLUMNS = ['id', 'tenant_id', ...UPDATE_DATA_COLUMNS];
const CHANGED_UPDATE_COLUMNS = [...UPDATE_DATA_COLUMNS, 'id', 'tenant_id'];

/** `json_to_recordset(?::json) AS r(column type, …)`: the rows of one JSON parameter. */
function recordset(columns: readonly string[]): string {
  return `json_to_recordset(?::json) AS r(${columns.map((column) => `${column} ${COLUMN_TYPES[column]}`).join(', ')})`;
}

/** `r.column` as the table stores it. */
function selected(column: string): string {
  return JSON_COLUMNS.has(column) ? `r.${column}::jsonb` : `r.${column}`;
}

function insertFrom(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map(selected).join(', ')} FROM ${recordset(columns)}`;
}

/**
 * Tenants, updates and heads are looked up one wanted row at a time (LATERAL, by primary key), in sorted order: a generic
 * plan made while a table was still small (`plan_cache_mode=force_generic_plan`, one plan per connection) cannot
 * then stay a sequential scan as the table grows, and every batch takes its row locks in the same order.
 */
const LOCK = `WITH locked_tenants AS (SELECT t.id FROM unnest(?::text[]) AS wanted(id),
  LATERAL (SELECT id FROM tenants WHERE id = wanted.id) AS t),
locked_updates AS (SELECT u.id, u.tenant_id, u.status FROM unnest(?::text[]) AS wanted(id),
  LATERAL (SELECT id, tenant_id, status FROM context_updates WHERE id = wanted.id FOR UPDATE) AS u),
locked_heads AS (SELECT h.tenant_id, h.key, h.version FROM unnest(?::text[], ?::text[]) AS wanted(tenant_id, key),
  LATERAL (SELECT tenant_id, key, version FROM context_heads
    WHERE tenant_id = wanted.tenant_id AND key = wanted.key FOR UPDATE) AS h)
SELECT 'tenant' AS kind, id, NULL::text AS tenant_id, NULL::text AS status, NULL::text AS key, NULL::integer AS version
  FROM locked_tenants
UNION ALL SELECT 'update', id, tenant_id, status, NULL, NULL FROM locked_updates
UNION ALL SELECT 'head', NULL, tenant_id, NULL, key, version FROM locked_heads`;

const WRITE = `WITH inserted_versions AS (${insertFrom('context_versions', VERSION_COLUMNS)}),
upserted_heads AS (${insertFrom('context_heads', HEAD_COLUMNS)}
  ON CONFLICT (tenant_id, key) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, updated_at = excluded.updated_at),
inserted_updates AS (${insertFrom('context_updates', NEW_UPDATE_COLUMNS)}),
replaced_updates AS (UPDATE context_updates AS u SET ${UPDATE_DATA_COLUMNS.map((column) => `${column} = ${selected(column)}`).join(', ')}
  FROM ${recordset(CHANGED_UPDATE_COLUMNS)} WHERE u.id = r.id AND u.tenant_id = r.tenant_id)
SELECT 1`;

/** A UTF-16 surrogate without its pair (JSON would escape it, and PostgreSQL refuses the escape). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Positional rows as JSON objects named by `columns`; text as a bound parameter would arrive (lone surrogates as U+FFFD). */
function toJson(columns: readonly string[], rows: Iterable<readonly unknown[]>): string {
  const records: Record<string, unknown>[] = [];
  for (const row of rows) {
    const record: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      const value = row[index];
      record[column] = typeof value === 'string' ? value.replace(LONE_SURROGATE, '\uFFFD') : value;
    });
    records.push(record);
  }
  return JSON.stringify(records);
}

/**
 * The updates' rows as one statement must write them: the sub-statements of one statement share a snapshot and
 * cannot change a row twice, so a replacement of an update inserted (or replaced) earlier in the batch becomes
 * that row's final content.
 */
function finalUpdateRows(rows: CommitBatchRows): { inserted: (readonly unknown[])[]; replaced: (readonly unknown[])[] } {
  const dataCount = UPDATE_DATA_COLUMNS.length;
  const inserted = new Map<unknown, readonly unknown[]>();
  for (const row of rows.newUpdates) inserted.set(row[0], row);
  const replaced = new Map<unknown, readonly unknown[]>();
  for (const row of rows.changedUpdates) {
    const id = row[dataCount];
    const earlier = inserted.get(id);
    if (earlier !== undefined) inserted.set(id, [earlier[0], earlier[1], ...row.slice(0, dataCount)]);
    else replaced.set(id, row);
  }
  return { inserted: [...inserted.values()], replaced: [...replaced.values()] };
}

const compare = (left: string, right: string) => (left < right ? -1 : left > right ? 1 : 0);

export const postgresCommitBatch: CommitBatchStatements = Object.freeze({
  lock({ tenantIds, updateIds, headKeys }: CommitBatchLockRequest) {
    const heads = [...headKeys].sort(([tenantA, keyA], [tenantB, keyB]) => compare(tenantA, tenantB) || compare(keyA, keyB));
    return {
      sql: LOCK,
      parameters: [tenantIds, [...updateIds].sort(), heads.map(([tenantId]) => tenantId), heads.map(([, key]) => key)],
    };
  },
  write(rows: CommitBatchRows) {
    const { inserted, replaced } = finalUpdateRows(rows);
    return {
      sql: WRITE,
      parameters: [
        toJson(VERSION_COLUMNS, rows.versions),
        toJson(HEAD_COLUMNS, rows.heads),
        toJson(NEW_UPDATE_COLUMNS, inserted),
        toJson(CHANGED_UPDATE_COLUMNS, replaced),
      ],
    };
  },
});
