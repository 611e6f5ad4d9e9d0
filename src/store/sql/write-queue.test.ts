import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../core/errors.js';
import { fakeSqlDatabase, idleTransaction } from '../../test-support/fake-sql-database.js';
import type { SqlDatabase } from './sql-executor.js';
import { SqlTransactionConflict } from './sql-transaction-conflict.js';
import { WriteQueue } from './write-queue.js';

/** A database whose first `conflicts` transactions are aborted by a concurrent one, on their first statement. */
function conflictingDatabase(conflicts: number): SqlDatabase & { attempts: number } {
  const database = Object.assign(
    fakeSqlDatabase(() => {
      database.attempts += 1;
      const aborted = database.attempts <= conflicts;
      return {
        ...idleTransaction,
        run: async () => {
          if (aborted) throw new SqlTransactionConflict({ cause: new Error('40P01') });
          return { changes: 1 };
        },
      };
    }),
    { attempts: 0 },
  );
  return database;
}

describe('write queue', () => {
  it('runs the whole batch again when the database aborts it for a concurrent transaction', async () => {
    const database = conflictingDatabase(2);
    const queue = new WriteQueue(database, 16);
    const results = await Promise.all([1, 2, 3].map((value) => queue.enqueue(async (tx) => (await tx.run('x')).changes + value)));
    expect(results).toEqual([2, 3, 4]);
    expect(database.attempts).toBe(3);
  });

  it('gives up after five attempts with BackendUnavailableError for every write of the batch', async () => {
    const database = conflictingDatabase(100);
    const queue = new WriteQueue(database, 16);
    const results = await Promise.allSettled([1, 2].map(() => queue.enqueue((tx) => tx.run('x'))));
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(BackendUnavailableError);
    }
    expect(database.attempts).toBe(5);
  });
});
