import type { Pool, PoolClient } from 'pg';
import { BackendUnavailableError } from '../../../core/errors.js';
import type { SqlDatabase, SqlExecutor, SqlTransaction, TransactionOptions } from '../sql-executor.js';
import { SqlTransactionConflict } from '../sql-transaction-conflict.js';
import { postgresDialect } from './postgres-dialect.js';
import { translatePostgresError } from './postgres-errors.js';
import { PostgresExecutor } from './postgres-executor.js';
import { PostgresStatements } from './postgres-statements.js';

/**
 * A PostgreSQL database as a SqlDatabase: reads on the pool (each sees only committed data), each write
 * transaction on one checked-out client, READ COMMITTED with `FOR UPDATE` on the rows it checks (so a
 * compare-and-set holds across processes: the second locker re-reads the row after the first commits).
 * No change token: every read goes to the database.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = postgresDialect;
  readonly reader: SqlExecutor;
  readonly #pool: Pool;
  readonly #statements = new PostgresStatements();
  #closed: Promise<void> | undefined;

  constructor(pool: Pool) {
    this.#pool = pool;
    this.reader = new PostgresExecutor(pool, this.#statements, false);
  }

  async transaction<T>(work: (transaction: SqlTransaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const client = await this.#connect();
    // A checked-out client has no pool listener: without ours, a dropped connection would crash the process.
    let broken = false;
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    const transaction = new PostgresTransaction(client, this.#statements);
    try {
      transaction.begin(options?.durable !== false);
      const result = await work(transaction);
      await transaction.commit();
      return result;
    } catch (error) {
      const translated = translatePostgresError(error, true);
      if (translated instanceof BackendUnavailableError) broken = true;
      else if (!(await transaction.rollback())) broken = true;
      throw translated;
    } finally {
      client.off('error', onError);
      // A client whose connection failed (or that could not roll back) is destroyed, never reused.
      client.release(broken);
    }
  }

  close(): Promise<void> {
    this.#closed ??= this.#pool.end().catch(() => undefined);
    return this.#closed;
  }

  async #connect(): Promise<PoolClient> {
    try {
      return await this.#pool.connect();
    } catch (error) {
      const translated = translatePostgresError(error, false);
      throw translated instanceof BackendUnavailableError
        ? translated
        : new BackendUnavailableError('Cannot connect to PostgreSQL; retry later.', { cause: error });
    }
  }
}

/**
 * One write transaction. Control statements (BEGIN, SAVEPOINT, RELEASE, ROLLBACK TO, COMMIT) are held back and
 * sent together, in one round trip, before the next query: a command costs one extra round trip, not two.
 */
class PostgresTransaction extends PostgresExecutor implements SqlTransaction {
  readonly #client: PoolClient;
  #pending: string[] = [];
  #started = false;
  #releasePending = false;

  constructor(client: PoolClient, statements: PostgresStatements) {
    super(client, statements, true);
    this.#client = client;
  }

  /** `durable` false: this transaction's COMMIT does not wait for the WAL flush (`synchronous_commit = off`). */
  begin(durable = true): void {
    this.#pending.push('BEGIN');
    if (!durable) this.#pending.push('SET LOCAL synchronous_commit = off');
  }

  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    if (this.#releasePending) this.#pending.push('RELEASE SAVEPOINT command');
    this.#releasePending = false;
    this.#pending.push('SAVEPOINT command');
    let result: T;
    try {
      result = await work();
    } catch (error) {
      // The database failed or aborted the whole transaction: nothing to save here.
      if (error instanceof BackendUnavailableError || error instanceof SqlTransactionConflict) throw error;
      this.#pending.push('ROLLBACK TO SAVEPOINT command', 'RELEASE SAVEPOINT command');
      throw error;
    }
    this.#releasePending = true;
    return result;
  }

  async commit(): Promise<void> {
    // COMMIT releases the open savepoint. PostgreSQL answers COMMIT of a failed transaction with ROLLBACK.
    this.#pending.push('COMMIT');
    const results = await this.#flush();
    const last = Array.isArray(results) ? results[results.length - 1] : results;
    if (last?.command !== 'COMMIT') {
      throw new BackendUnavailableError('PostgreSQL rolled the transaction back at COMMIT; retry later.');
    }
  }

  /** Rolls back; false when that failed (the connection must then not be reused). */
  async rollback(): Promise<boolean> {
    this.#pending = [];
    if (!this.#started) return true;
    try {
      await this.#client.query('ROLLBACK');
      return true;
    } catch {
      return false;
    }
  }

  protected override async query(sql: string, parameters?: readonly (string | number | bigint | null)[]) {
    await this.#flush();
    return super.query(sql, parameters);
  }

  async #flush(): Promise<{ command: string } | { command: string }[] | undefined> {
    if (this.#pending.length === 0) return undefined;
    const text = this.#pending.join('; ');
    this.#pending = [];
    this.#started = true;
    try {
      return (await this.#client.query(text)) as unknown as { command: string } | { command: string }[];
    } catch (error) {
      throw translatePostgresError(error, true);
    }
  }
}
