import type { SqlDialect } from './sql-dialect.js';

/** A value bound to a `?` placeholder (bytes: a BLOB in SQLite, bytea in PostgreSQL; string arrays: PostgreSQL only). */
export type SqlParameter = string | number | bigint | null | Uint8Array | readonly string[];

export interface SqlRunResult {
  changes: number;
}

/**
 * The narrow interface the SQL store runs on. SQL uses `?` placeholders; a dialect rewrites them when its
 * driver wants another style. Implementations prepare each distinct SQL string once and reuse it.
 * Errors are BackendUnavailableError (busy, I/O, closed), SqlConstraintViolation, or the driver's own (a bug).
 */
export interface SqlExecutor {
  get<Row>(sql: string, parameters?: readonly SqlParameter[]): Promise<Row | undefined>;
  all<Row>(sql: string, parameters?: readonly SqlParameter[]): Promise<Row[]>;
  run(sql: string, parameters?: readonly SqlParameter[]): Promise<SqlRunResult>;
}

/** An open write transaction. */
export interface SqlTransaction extends SqlExecutor {
  /** Runs `work` inside a savepoint: when it throws, only its own changes are rolled back. */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
}

/** How a write transaction commits. */
export interface TransactionOptions {
  /**
   * `false`: COMMIT returns without waiting for the disk. The transaction is atomic and visible at once and survives
   * a crash of this process; a power loss or an OS crash can lose it until the log is next synced (SQLite: the next
   * durable commit or checkpoint; PostgreSQL: `synchronous_commit = off`, within ~3 × wal_writer_delay). For records
   * written behind an answer (assembly records), never for a write that a caller is told is durable. Default true.
   */
  durable?: boolean | undefined;
}

/**
 * A database as the SQL store sees it: committed reads, and write transactions that are durable once they resolve
 * (unless asked otherwise, see TransactionOptions).
 */
export interface SqlDatabase {
  readonly dialect: SqlDialect;
  /** Reads that see only committed data. */
  readonly reader: SqlExecutor;
  /** BEGIN (taking the write lock at once) … COMMIT; rolls back and rethrows when `work` throws. */
  transaction<T>(work: (transaction: SqlTransaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
  /**
   * A number that changes whenever another connection or process commits (SQLite: PRAGMA data_version).
   * Absent when the dialect cannot tell cheaply; then the store does not cache current versions.
   */
  readonly changeToken?: (() => number) | undefined;
}
