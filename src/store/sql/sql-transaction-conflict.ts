/**
 * The database aborted the whole write transaction because of a concurrent one (PostgreSQL: serialization
 * failure 40001, deadlock 40P01). It is never the outcome of one command: the write queue rolls the transaction
 * back and runs the whole batch again (bounded, with jittered backoff).
 */
export class SqlTransactionConflict extends Error {
  constructor(options: { cause: unknown }) {
    super('The database aborted the transaction because of a concurrent one; it can be retried.', options);
    this.name = 'SqlTransactionConflict';
  }
}
