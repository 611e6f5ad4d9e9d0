import Database from 'better-sqlite3';
import { BackendUnavailableError } from '../../../core/errors.js';
import type { SqlDatabase, SqlExecutor, SqlParameter, SqlTransaction, TransactionOptions } from '../sql-executor.js';
import { loadVectorFunctions } from './knowledge-sqlite-vec.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { translateSqliteError } from './sqlite-errors.js';
import { SqliteExecutor } from './sqlite-executor.js';

export interface SqliteConnectionOptions {
  path: string;
  busyTimeoutMs: number;
}

export const IN_MEMORY_PATH = ':memory:';

/** Opens one connection with the pragmas every connection needs. Throws BackendUnavailableError when it cannot. */
export function openSqliteConnection(options: SqliteConnectionOptions): Database.Database {
  let connection: Database.Database | undefined;
  try {
    connection = new Database(options.path);
    connection.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs))}`);
    connection.pragma('journal_mode = WAL');
    connection.pragma('synchronous = FULL');
    connection.pragma('foreign_keys = ON');
    // Checkpoints run inside the COMMIT that crosses the threshold, on the event loop: at SQLite's default of 1,000
    // pages they came every few hundred writes and cost a fifth of the durable write throughput with 32 writers.
    // 10,000 pages (~40 MB of WAL) checkpoints a tenth as often; every commit still fsyncs the WAL.
    connection.pragma('wal_autocheckpoint = 10000');
    // Reads of scattered rows (search results by seq) come from the mapped file instead of one read() per page:
    // at 100,000 knowledge chunks, 40 random rows cost ~0.2 ms instead of ~2 ms.
    connection.pragma('mmap_size = 1073741824');
    loadVectorFunctions(connection);
    return connection;
  } catch (error) {
    connection?.close();
    const translated = translateSqliteError(error);
    throw translated instanceof BackendUnavailableError
      ? translated
      : new BackendUnavailableError(`Cannot open the SQLite database at ${options.path}.`, { cause: error });
  }
}

/**
 * A SQLite file as a SqlDatabase: one writer connection for the write queue, one reader connection for
 * everything else. WAL lets the reader see only committed data while a batch is being written. An in-memory
 * database has one connection only, so reads wait for an open write transaction to end.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = sqliteDialect;
  readonly reader: SqlExecutor;
  readonly #writer: SqliteTransaction;
  readonly #readerConnection: Database.Database | undefined;
  readonly changeToken: () => number;
  #writing: Promise<void> | undefined;

  constructor(writer: Database.Database, reader: Database.Database | undefined) {
    this.#writer = new SqliteTransaction(writer);
    this.#readerConnection = reader;
    this.reader = reader === undefined ? new WriteAwareReader(this.#writer, () => this.#writing) : new SqliteExecutor(reader);
    this.changeToken = reader === undefined ? () => 0 : dataVersionOf(writer);
  }

  async transaction<T>(work: (transaction: SqlTransaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    if (this.#writing !== undefined) await this.#writing.catch(() => undefined);
    let finish = () => {};
    this.#writing = new Promise<void>((resolve) => (finish = resolve));
    // WAL with synchronous=NORMAL: the COMMIT appends to the log without an fsync (~1.5 ms here); the next durable
    // COMMIT's fsync of the log (or a checkpoint) covers these frames too. Set outside the transaction, as it must be.
    const relaxed = options?.durable === false;
    try {
      if (relaxed) this.#writer.connection.pragma('synchronous = NORMAL');
      this.#writer.runSync('BEGIN IMMEDIATE');
      try {
        const result = await work(this.#writer);
        this.#writer.runSync('COMMIT');
        return result;
      } catch (error) {
        rollbackQuietly(this.#writer.connection);
        throw error;
      }
    } catch (error) {
      throw translateSqliteError(error);
    } finally {
      if (relaxed) restoreFullSync(this.#writer.connection);
      this.#writing = undefined;
      finish();
    }
  }

  async close(): Promise<void> {
    if (this.#readerConnection?.open) this.#readerConnection.close();
    if (this.#writer.connection.open) this.#writer.connection.close();
  }
}

/** Back to durable commits after a relaxed transaction; a connection that cannot is closed rather than left relaxed. */
function restoreFullSync(connection: Database.Database): void {
  try {
    connection.pragma('synchronous = FULL');
  } catch {
    if (connection.open) connection.close();
  }
}

/**
 * PRAGMA data_version on the writer: it changes when another connection (another process, or another engine on the
 * same file) commits, not on the writer's own commits. Those already clear the caches they touch before anyone hears
 * of them (the write queue's onCommitted, TenantReadCache.invalidate), so a token that moved with them only made the
 * next write read its tenant again. An in-memory database has one connection only, so its token never changes.
 */
function dataVersionOf(writer: Database.Database): () => number {
  const statement = writer.prepare('PRAGMA data_version').pluck();
  return () => {
    try {
      return statement.get() as number;
    } catch (error) {
      throw translateSqliteError(error);
    }
  };
}

function rollbackQuietly(connection: Database.Database): void {
  try {
    if (connection.inTransaction) connection.exec('ROLLBACK');
  } catch {
    // The original error says more; a failed rollback leaves SQLite to roll back on its own.
  }
}

/** The writer connection inside BEGIN IMMEDIATE … COMMIT, with one reusable savepoint per command. */
class SqliteTransaction extends SqliteExecutor implements SqlTransaction {
  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    this.runSync('SAVEPOINT command');
    let result: T;
    try {
      result = await work();
    } catch (error) {
      try {
        this.runSync('ROLLBACK TO command');
        this.runSync('RELEASE command');
      } catch (rollbackError) {
        throw new BackendUnavailableError('SQLite could not roll back a failed command.', { cause: rollbackError });
      }
      throw error;
    }
    this.runSync('RELEASE command');
    return result;
  }
}

/** Reads on the single connection of an in-memory database: they never see a batch that is still open. */
class WriteAwareReader implements SqlExecutor {
  readonly #executor: SqliteExecutor;
  readonly #writing: () => Promise<void> | undefined;

  constructor(executor: SqliteExecutor, writing: () => Promise<void> | undefined) {
    this.#executor = executor;
    this.#writing = writing;
  }

  get<Row>(sql: string, parameters?: readonly SqlParameter[]): Promise<Row | undefined> {
    const writing = this.#writing();
    return writing === undefined ? this.#executor.get<Row>(sql, parameters) : writing.then(() => this.get<Row>(sql, parameters));
  }

  all<Row>(sql: string, parameters?: readonly SqlParameter[]): Promise<Row[]> {
    const writing = this.#writing();
    return writing === undefined ? this.#executor.all<Row>(sql, parameters) : writing.then(() => this.all<Row>(sql, parameters));
  }

  run(sql: string, parameters?: readonly SqlParameter[]): Promise<{ changes: number }> {
    const writing = this.#writing();
    return writing === undefined ? this.#executor.run(sql, parameters) : writing.then(() => this.run(sql, parameters));
  }
}
