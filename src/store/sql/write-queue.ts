import { BackendUnavailableError } from '../../core/errors.js';
import type { SqlDatabase, SqlTransaction } from './sql-executor.js';
import { SqlTransactionConflict } from './sql-transaction-conflict.js';

export type WriteCommand<T> = (transaction: SqlTransaction) => Promise<T>;

interface QueuedWrite {
  command: WriteCommand<unknown>;
  /** False for a write that need not wait for the disk (TransactionOptions.durable). */
  durable: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type WriteOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** How often a batch runs when the database keeps aborting it for a concurrent transaction (40001, 40P01). */
const MAX_ATTEMPTS = 5;
const BACKOFF_BASE_MS = 5;

/**
 * Group commit. Writes enqueued in the same tick run in ONE transaction (flushed on setImmediate), each in
 * its own savepoint: a command that fails rolls back only itself and rejects only its own promise; the
 * others resolve once COMMIT has returned, i.e. once they are durable. Commands see each other's effects in
 * queue order. When the transaction itself fails (busy, I/O, COMMIT), every command of the batch rejects.
 * When the database aborts it for a concurrent transaction (SqlTransactionConflict: PostgreSQL's serialization
 * failures and deadlocks), the whole batch runs again from the start, at most MAX_ATTEMPTS times with jittered
 * backoff: commands only act through the transaction, so running one again is safe.
 */
export class WriteQueue {
  readonly #database: SqlDatabase;
  readonly #maxBatchSize: number;
  readonly #concurrency: number;
  #pending: QueuedWrite[] = [];
  #scheduled = false;
  #inFlight = 0;
  #closed = false;
  #idle: Promise<void> = Promise.resolve();
  #markIdle: (() => void) | undefined;

  readonly #onCommitted: () => void;

  /**
   * `onCommitted` runs after each COMMIT, before any promise of the batch settles (cache invalidation).
   * `concurrency`: how many transactions may run at once — 1 for SQLite (one writer); more for a database whose
   * transactions run in parallel on their own connections (PostgreSQL), where a batch still waits for nothing.
   */
  constructor(database: SqlDatabase, maxBatchSize: number, onCommitted: () => void = () => {}, concurrency = 1) {
    this.#database = database;
    this.#maxBatchSize = maxBatchSize;
    this.#onCommitted = onCommitted;
    this.#concurrency = Math.max(1, concurrency);
  }

  /**
   * Queues a write; it resolves once committed. `durable: false` lets it commit without waiting for the disk
   * (TransactionOptions): a batch commits that way only when every write in it allows it.
   */
  enqueue<T>(command: WriteCommand<T>, options: { durable?: boolean | undefined } = {}): Promise<T> {
    if (this.#closed) return Promise.reject(new BackendUnavailableError('The store is closed.'));
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ command, durable: options.durable !== false, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Refuses new writes and waits for the queued ones to finish. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#idle;
  }

  #schedule(): void {
    if (this.#markIdle === undefined) this.#idle = new Promise((resolve) => (this.#markIdle = resolve));
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#startBatches();
    });
  }

  /** Starts as many batches as free transaction slots allow; each takes what is pending now. */
  #startBatches(): void {
    while (this.#inFlight < this.#concurrency && this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#maxBatchSize);
      this.#inFlight += 1;
      void this.#flush(batch).finally(() => {
        this.#inFlight -= 1;
        if (this.#pending.length > 0) this.#schedule();
        else if (this.#inFlight === 0) {
          this.#markIdle?.();
          this.#markIdle = undefined;
        }
      });
    }
  }

  async #flush(batch: QueuedWrite[]): Promise<void> {
    try {
      const outcomes = await this.#runWithRetry(batch);
      this.#onCommitted();
      batch.forEach((write, index) => {
        const outcome = outcomes[index];
        if (outcome?.ok) write.resolve(outcome.value);
        else write.reject(outcome === undefined ? new Error('A queued write has no outcome.') : outcome.error);
      });
    } catch (error) {
      for (const write of batch) write.reject(error);
    }
  }

  async #runWithRetry(batch: QueuedWrite[]): Promise<WriteOutcome[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const durable = batch.some((write) => write.durable);
        return await this.#database.transaction((transaction) => runBatch(transaction, batch), { durable });
      } catch (error) {
        if (!(error instanceof SqlTransactionConflict)) throw error;
        if (attempt >= MAX_ATTEMPTS) {
          throw new BackendUnavailableError(
            `The database aborted the write ${MAX_ATTEMPTS} times for concurrent transactions; retry later.`,
            { cause: error },
          );
        }
        const delay = BACKOFF_BASE_MS * 2 ** (attempt - 1);
        await new Promise((resolve) => setTimeout(resolve, delay / 2 + Math.random() * delay));
      }
    }
  }
}

async function runBatch(transaction: SqlTransaction, batch: QueuedWrite[]): Promise<WriteOutcome[]> {
  const outcomes: WriteOutcome[] = [];
  for (const write of batch) {
    try {
      outcomes.push({ ok: true, value: await transaction.savepoint(() => write.command(transaction)) });
    } catch (error) {
      // The database itself failed, or aborted the transaction: the whole batch fails (or runs again).
      if (error instanceof BackendUnavailableError || error instanceof SqlTransactionConflict) throw error;
      outcomes.push({ ok: false, error });
    }
  }
  return outcomes;
}
