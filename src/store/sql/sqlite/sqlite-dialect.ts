import canonicalize from 'canonicalize';
import type { SqlDialect } from '../sql-dialect.js';

const serialize = canonicalize as unknown as (input: unknown) => string | undefined;

/** SQLite: JSON as canonical text (RFC 8785), no row locks (BEGIN IMMEDIATE already holds the write lock). */
export const sqliteDialect: SqlDialect = Object.freeze({
  backend: 'sqlite' as const,
  jsonColumnType: 'text' as const,
  lockForUpdate: '',
  compositeKeyTableSuffix: 'without rowid' as const,
  encodeJson(value: unknown): string {
    return JSON.stringify(value);
  },
  encodeValue(value: unknown): string {
    const text = serialize(value);
    if (text === undefined) throw new TypeError('The value is not representable as JSON.');
    return text;
  },
  decodeJson(raw: unknown): unknown {
    return typeof raw === 'string' ? JSON.parse(raw) : raw;
  },
});
