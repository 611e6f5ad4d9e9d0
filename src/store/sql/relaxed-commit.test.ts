import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SqlDatabase, SqlTransaction, TransactionOptions } from './sql-executor.js';
import { openSqliteConnection, SqliteDatabase } from './sqlite/sqlite-database.js';
import { WriteQueue } from './write-queue.js';

/** A database that records the options each transaction was asked for. */
function recordingDatabase(): SqlDatabase & { asked: (boolean | undefined)[] } {
  const transaction: SqlTransaction = {
    get: async () => undefined,
    all: async () => [],
    run: async () => ({ changes: 1 }),
    savepoint: (work) => work(),
  };
  const database = {
    asked: [] as (boolean | undefined)[],
    dialect: {} as SqlDatabase['dialect'],
    reader: transaction,
    async transaction<T>(work: (transaction: SqlTransaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
      database.asked.push(options?.durable);
      return work(transaction);
    },
    close: async () => {},
  };
  return database;
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
