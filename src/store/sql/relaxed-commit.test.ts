import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeSqlDatabase, idleTransaction } from '../../test-support/fake-sql-database.js';
import type { SqlDatabase, SqlTransaction } from './sql-executor.js';
import { openSqliteConnection, SqliteDatabase } from './sqlite/sqlite-database.js';
import { WriteQueue } from './write-queue.js';

/** A database that records the options each transaction was asked for. */
function recordingDatabase(): SqlDatabase & { asked: (boolean | undefined)[] } {
  const asked: (boolean | undefined)[] = [];
  return Object.assign(
    fakeSqlDatabase((options) => {
      asked.push(options?.durable);
      return idleTransaction;
    }),
    { asked },
  );
}

describe('commits that need not wait for the disk', () => {
  it('batches relaxed writes relaxed, and any batch with a durable write durably', async () => {
    const database = recordingDatabase();
    const queue = new WriteQueue(database, 16);
    await Promise.all([queue.enqueue(async () => 1, { durable: false }), queue.enqueue(async () => 2, { durable: false })]);
    await Promise.all([queue.enqueue(async () => 1, { durable: false }), queue.enqueue(async () => 2)]);
    await queue.enqueue(async () => 3);
    expect(database.asked).toEqual([false, true, true]);
  });

  it('runs a relaxed SQLite transaction with synchronous=NORMAL, then restores FULL', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ctx-relaxed-'));
    const path = join(directory, 'relaxed.db');
    const database = new SqliteDatabase(openSqliteConnection({ path, busyTimeoutMs: 1_000 }), undefined);
    try {
      const level = (transaction: SqlTransaction) =>
        transaction.get<{ synchronous: number }>('PRAGMA synchronous').then((row) => row?.synchronous);
      // 2 = FULL (every COMMIT fsyncs the WAL), 1 = NORMAL (the next durable COMMIT or a checkpoint does).
      expect(await database.transaction(level)).toBe(2);
      expect(await database.transaction(level, { durable: false })).toBe(1);
      expect(await database.transaction(level)).toBe(2);
      // A relaxed transaction that fails still restores FULL.
      await expect(
        database.transaction(
          async () => {
            throw new Error('boom');
          },
          { durable: false },
        ),
      ).rejects.toThrow('boom');
      expect(await database.transaction(level)).toBe(2);
    } finally {
      await database.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
