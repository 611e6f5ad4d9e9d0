import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { BackendUnavailableError } from '../../../core/errors.js';
import type { SqlDatabase, SqlExecutor, SqlParameter, SqlTransaction, TransactionOptions } from '../sql-executor.js';
import { loadVectorFunctions } from './knowledge-sqlite-vec.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { translateSqliteError } from './sqlite-errors.js';
import { SqliteExecutor } from './sqlite-executor.js';
import { WalCheckpointer, type WalCheckpointerOptions, type WriteGate } from './wal-checkpointer.js';

export interface SqliteConnectionOptions {
  path: string;
  busyTimeoutMs: number;
}

export const IN_MEMORY_PATH = ':memory:';

/** When a file's log gets a checkpoint thread of its own (`WalCheckpointer`), and how it works. */
export interface CheckpointThreadOptions extends WalCheckpointerOptions {
  /** The thread starts once the log file has reached this size (most small stores never need it). */
  startBytes: number;
}

export const CHECKPOINT_THREAD_DEFAULTS: Readonly<CheckpointThreadOptions> = Object.freeze({
  startBytes: 4 * 1024 * 1024,
  intervalMs: 100,
  restartFrames: 4_096,
  busyTimeoutMs: 50,
  maxPauseMs: 2_000,
});

/** The writer's automatic checkpoint threshold (pages) without the thread. */
const WRITER_AUTOCHECKPOINT = 10_000;
/** With the thread, the writer checkpoints only if the log grows this far anyway (a reader kept it from restarting). */
const WRITER_BACKSTOP_AUTOCHECKPOINT = 50_000;
/** Commits between looks at the log file's size, until the thread starts. */
const COMMITS_PER_LOOK = 64;

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
    // 10,000 pages (~40 MB of WAL) checkpoints a tenth as often; every commit still fsyncs the WAL. Once a file's log
    // has grown, the checkpoint thread takes over (SqliteDatabase below) and this stays only as a backstop.
    connection.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT}`);
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
export class SqliteDatabase implements SqlDatabase, WriteGate {
  readonly dialect = sqliteDialect;
  readonly reader: SqlExecutor;
  readonly #writer: SqliteTransaction;
  readonly #readerConnection: Database.Database | undefined;
  readonly changeToken: () => number;
  #writing: Promise<void> | undefined;
  /** Set while the checkpoint thread holds new write transactions. */
  #held: { promise: Promise<void>; release: () => void } | undefined;
  readonly #checkpointOptions: CheckpointThreadOptions | undefined;
  #checkpointer: WalCheckpointer | undefined;
  #commitsUntilLook = COMMITS_PER_LOOK;

  /**
   * `checkpointThread`: a file database's log is checkpointed on a thread once it grows (defaults above); `false`
   * leaves checkpoints to the writer's COMMITs. An in-memory database has no log.
   */
  constructor(
    writer: Database.Database,
    reader: Database.Database | undefined,
    checkpointThread: Partial<CheckpointThreadOptions> | false = {},
  ) {
    this.#writer = new SqliteTransaction(writer);
    this.#readerConnection = reader;
    this.reader = reader === undefined ? new WriteAwareReader(this.#writer, () => this.#writing) : new SqliteExecutor(reader);
    this.changeToken = reader === undefined ? () => 0 : dataVersionOf(writer);
    this.#checkpointOptions =
      reader === undefined || checkpointThread === false ? undefined : { ...CHECKPOINT_THREAD_DEFAULTS, ...checkpointThread };
  }

  /** The checkpoint thread's counts, once it runs. */
  get checkpointer(): WalCheckpointer | undefined {
    return this.#checkpointer;
  }

  hold(): Promise<void> {
    if (this.#held === undefined) {
      let release = () => {};
      const promise = new Promise<void>((resolve) => (release = resolve));
      this.#held = { promise, release };
    }
    return this.#idle();
  }

  release(): void {
    const held = this.#held;
    this.#held = undefined;
    held?.release();
  }

  async #idle(): Promise<void> {
    while (this.#writing !== undefined) await this.#writing.catch(() => undefined);
  }

  async transaction<T>(work: (transaction: SqlTransaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    while (this.#held !== undefined || this.#writing !== undefined) {
      if (this.#held !== undefined) await this.#held.promise;
      else await this.#writing?.catch(() => undefined);
    }
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
        if (--this.#commitsUntilLook === 0) this.#lookAtLog();
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
    this.#commitsUntilLook = Number.POSITIVE_INFINITY;
    await this.#checkpointer?.close();
    if (this.#readerConnection?.open) this.#readerConnection.close();
    if (this.#writer.connection.open) this.#writer.connection.close();
  }

  /** Starts the checkpoint thread once the log file has grown to its start size. */
  #lookAtLog(): void {
    const options = this.#checkpointOptions;
    this.#commitsUntilLook = COMMITS_PER_LOOK;
    if (options === undefined || this.#checkpointer !== undefined) {
      this.#commitsUntilLook = Number.POSITIVE_INFINITY;
      return;
    }
    const path = this.#writer.connection.name;
    let size: number;
    try {
      size = statSync(`${path}-wal`).size;
    } catch {
      return;
    }
    if (size < options.startBytes) return;
    this.#commitsUntilLook = Number.POSITIVE_INFINITY;
    try {
      this.#checkpointer = new WalCheckpointer(path, this, options, (error) => this.#checkpointerFailed(error));
      this.#writer.connection.pragma(`wal_autocheckpoint = ${WRITER_BACKSTOP_AUTOCHECKPOINT}`);
    } catch (error) {
      this.#checkpointerFailed(error as Error);
    }
  }

  /** The writer checkpoints again as it did before the thread; the thread is not started again. */
  #checkpointerFailed(error: Error): void {
    try {
      if (this.#writer.connection.open) this.#writer.connection.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT}`);
    } catch {
      // A writer that cannot take a pragma fails its next write too, with a clearer error.
    }
    process.emitWarning(`SQLite's log is checkpointed by its writer again: ${error.message}`, {
      code: 'CTX_WAL_CHECKPOINTER_FAILED',
    });
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
