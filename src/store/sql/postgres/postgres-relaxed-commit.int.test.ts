import pg from 'pg';
import { expect, it } from 'vitest';
import { PostgresDatabase } from './postgres-database.js';
import { describePostgres } from './postgres-test-database.js';

describePostgres('postgres: commits that need not wait for the disk', (database) => {
  it('turns synchronous_commit off for a relaxed transaction only', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const postgres = new PostgresDatabase(pool);
    try {
      const setting = () =>
        postgres.transaction(async (transaction) =>
          transaction.get<{ synchronous_commit: string }>('SHOW synchronous_commit').then((row) => row?.synchronous_commit),
        );
      const relaxed = () =>
        postgres.transaction(
          async (transaction) =>
            transaction.get<{ synchronous_commit: string }>('SHOW synchronous_commit').then((row) => row?.synchronous_commit),
          { durable: false },
        );
      expect(await setting()).toBe('on');
      expect(await relaxed()).toBe('off');
      // SET LOCAL ends with the transaction: the same pooled connection commits durably again.
      expect(await setting()).toBe('on');
    } finally {
      await postgres.close();
    }
  });
});
