import { encodeCanonicalValue, encodeJson } from '../json-encoding.js';
import { flattenRows } from '../multi-row.js';
import type { SqlDialect } from '../sql-dialect.js';

/** SQLite: JSON as canonical text (RFC 8785), no row locks (BEGIN IMMEDIATE already holds the write lock). */
export const sqliteDialect: SqlDialect = Object.freeze({
  backend: 'sqlite' as const,
  jsonColumnType: 'text' as const,
  lockForUpdate: '',
  compositeKeyTableSuffix: 'without rowid' as const,
  keyPairsCondition(alias: string, pairs: readonly (readonly [string, string])[]) {
    return {
      sql: `(${pairs.map(() => `(${alias}tenant_id = ? AND ${alias}key = ?)`).join(' OR ')})`,
      parameters: flattenRows(pairs),
    };
  },
  encodeJson,
  encodeValue: encodeCanonicalValue,
  decodeJson(raw: unknown): unknown {
    return typeof raw === 'string' ? JSON.parse(raw) : raw;
  },
});
