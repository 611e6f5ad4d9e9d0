import type { StoreBackendName } from '../store.js';
import type { CommitBatchStatements } from './commit-batch-statements.js';

/** What differs between SQL databases, kept to a few small overrides. */
export interface SqlDialect {
  readonly backend: Exclude<StoreBackendName, 'memory'>;
  /** Column type of JSON documents in migrations (`text` in SQLite, `jsonb` in PostgreSQL). */
  readonly jsonColumnType: 'text' | 'jsonb';
  /**
   * How tables keyed by a composite primary key end in migrations: SQLite's `WITHOUT ROWID` stores the rows in
   * the primary-key tree itself (one B-tree fewer to write per row); '' elsewhere.
   */
  readonly compositeKeyTableSuffix: '' | 'without rowid';
  /**
   * Collation of text columns in migrations, so that keys sort by code point everywhere (PostgreSQL: "C");
   * absent = the database's own, which in SQLite is already BINARY.
   */
  readonly textCollation?: 'C' | undefined;
  /** Appended to the SELECTs that read a row a write transaction is about to change ('' or ' FOR UPDATE'). */
  readonly lockForUpdate: string;
  /**
   * A condition matching the rows whose `(tenant_id, key)` is one of `pairs` (`alias` prefixes the columns, e.g.
   * 'h.'): SQLite an OR of equalities; PostgreSQL a join on two unnested arrays, one statement text whatever the
   * count, because planning a long OR-list costs PostgreSQL milliseconds per statement.
   */
  keyPairsCondition(
    alias: string,
    pairs: readonly (readonly [string, string])[],
  ): { sql: string; parameters: (string | readonly string[])[] };
  /**
   * One statement to lock a commit batch's rows and one to write them (PostgreSQL: CTEs, a round trip each);
   * absent = one statement per table and chunk of rows (SQLite, where a statement costs no round trip).
   */
  readonly commitBatch?: CommitBatchStatements | undefined;
  /** Bookkeeping JSON (payloads, flags, policies) as the driver binds it into a JSON column. */
  encodeJson(value: unknown): string;
  /** A context document's value: canonical JSON (RFC 8785), so equal values are stored as equal text. */
  encodeValue(value: unknown): string;
  /** A JSON column as the driver returns it (text in SQLite, already parsed in PostgreSQL). */
  decodeJson(raw: unknown): unknown;
}
