import type { ContextVersion } from '../../core/context-version.js';
import type { JsonValue } from '../../core/json.js';
import type { UpdateSource } from '../../core/update-source.js';
import type { SqlDialect } from './sql-dialect.js';

/** A row of `context_versions`. */
export interface ContextVersionRow {
  tenant_id: string;
  key: string;
  version: number;
  value: unknown;
  deleted: number;
  content_hash: string;
  source: string;
  author: string;
  created_at: string;
  parent_version: number | null;
  update_id: string;
  /** Migration 0012: the value's token counts (null on tombstones and older versions). */
  tokens_o200k: number | null;
  tokens_cl100k: number | null;
}

export const CONTEXT_VERSION_COLUMNS =
  'tenant_id, key, version, value, deleted, content_hash, source, author, created_at, parent_version, update_id, ' +
  'tokens_o200k, tokens_cl100k';

export function toContextVersion(dialect: SqlDialect, row: ContextVersionRow): ContextVersion {
  return {
    tenantId: row.tenant_id,
    key: row.key,
    version: row.version,
    value: dialect.decodeJson(row.value) as JsonValue,
    deleted: row.deleted === 1,
    contentHash: row.content_hash,
    source: row.source as UpdateSource,
    author: row.author,
    createdAt: row.created_at,
    parentVersion: row.parent_version,
    updateId: row.update_id,
    ...(row.tokens_o200k === null || row.tokens_cl100k === null
      ? {}
      : { tokenCounts: { o200k_base: Number(row.tokens_o200k), cl100k_base: Number(row.tokens_cl100k) } }),
  };
}
