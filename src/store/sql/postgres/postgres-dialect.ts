import { encodeCanonicalValue, encodeJson } from '../json-encoding.js';
import type { SqlDialect } from '../sql-dialect.js';
import { postgresCommitBatch } from './postgres-commit-batch.js';

/**
 * PostgreSQL: JSONB columns, `FOR UPDATE` on the rows a write is about to change, text columns in the "C"
 * collation (code-point order, as in SQLite). JSONB keeps object keys in its own order (shorter keys first),
 * so decoding puts them back in code-unit order: values read the same as from SQLite's canonical text.
 */
export const postgresDialect: SqlDialect = Object.freeze({
  backend: 'postgres' as const,
  jsonColumnType: 'jsonb' as const,
  lockForUpdate: ' FOR UPDATE',
  compositeKeyTableSuffix: '' as const,
  textCollation: 'C' as const,
  keyPairsCondition(alias: string, pairs: readonly (readonly [string, string])[]) {
    return {
      sql: `(${alias}tenant_id, ${alias}key) IN (SELECT * FROM unnest(?::text[], ?::text[]))`,
      parameters: [pairs.map(([tenantId]) => tenantId), pairs.map(([, key]) => key)],
    };
  },
  commitBatch: postgresCommitBatch,
  encodeJson,
  encodeValue: encodeCanonicalValue,
  decodeJson(raw: unknown): unknown {
    return sortKeys(raw);
  },
});

/** A parsed JSON value with every object's keys in code-unit order (RFC 8785); arrays keep their order. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  // fromEntries defines own properties, so a "__proto__" key stays data.
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((key) => [key, sortKeys(record[key])]),
  );
}
