import type { SqlDatabase, SqlTransaction, TransactionOptions } from '../store/sql/sql-executor.js';

/** A transaction whose statements do nothing: reads find no rows, every write changes one. */
export const idleTransaction: SqlTransaction = {
  get: async () => undefined,
  all: async () => [],
  run: async () => ({ changes: 1 }),
  savepoint: (work) => work(),
};

/**
 * A SqlDatabase without storage, for tests of what sits above it (the write queue): each transaction runs its work on
 * the transaction `begin` gives for it (by default `idleTransaction`), after `begin` has seen the options.
 */
export function fakeSqlDatabase(
  begin: (options: TransactionOptions | undefined) => SqlTransaction = () => idleTransaction,
): SqlDatabase {
  return {
    dialect: {} as SqlDatabase['dialect'],
    reader: idleTransaction,
    transaction: <T>(work: (transaction: SqlTransaction) => Promise<T>, options?: TransactionOptions): Promise<T> =>
      work(begin(options)),
    close: async () => {},
  };
}
