import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type CheckpointThreadOptions, openSqliteConnection, SqliteDatabase } from './sqlite-database.js';
import { WAL_CHECKPOINTER_SOURCE } from './wal-checkpointer-source.js';

const directories: string[] = [];
const databases: SqliteDatabase[] = [];

afterEach(async () => {
  for (const database of databases.splice(0)) await database.close();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** A file database with one table; the checkpoint thread starts at the first look (every 64 commits). */
function fileDatabase(options: Partial<CheckpointThreadOptions>): { database: SqliteDatabase; path: string } {
  const directory = mkdtempSync(join(tmpdir(), 'ctx-wal-'));
  directories.push(directory);
  const path = join(directory, 'log.db');
  const writer = openSqliteConnection({ path, busyTimeoutMs: 5_000 });
  writer.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const reader = openSqliteConnection({ path, busyTimeoutMs: 5_000 });
  const database = new SqliteDatabase(writer, reader, { startBytes: 0, intervalMs: 5, restartFrames: 64, ...options });
  databases.push(database);
  return { database, path };
}

const body = 'x'.repeat(3_000);

async function writeRows(database: SqliteDatabase, from: number, count: number): Promise<void> {
  for (let id = from; id < from + count; id++) {
    await database.transaction((transaction) => transaction.run('INSERT INTO rows (id, body) VALUES (?, ?)', [id, body]));
  }
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the WAL checkpoint thread', () => {
  it('keeps the log bounded by starting it again while writes go on, and loses no row', async () => {
    const { database, path } = fileDatabase({});
    let largestLog = 0;
    for (let round = 0; round < 40; round++) {
      await writeRows(database, round * 64, 64);
      // Time for the thread's looks, as a steady writer's event loop would give it.
      await new Promise((resolve) => setTimeout(resolve, 10));
      largestLog = Math.max(largestLog, statSync(`${path}-wal`).size);
    }
    await until(() => (database.checkpointer?.stats.restarts ?? 0) >= 3);
    const stats = database.checkpointer?.stats;
    expect(stats?.passive).toBeGreaterThan(0);
    // 2,560 rows of 3 KB wrote ~10 MB of log; restarts every ~64 frames keep the file to a small part of it.
    expect(largestLog).toBeLessThan(4 * 1024 * 1024);
    const count = await database.reader.get<{ n: number }>('SELECT count(*) AS n FROM rows');
    expect(count?.n).toBe(2_560);
    await database.close();
    const reopened = new Database(path, { readonly: true });
    expect(reopened.prepare('SELECT count(*) AS n FROM rows').get()).toEqual({ n: 2_560 });
    reopened.close();
  });

  it('holds new write transactions until released, and holds only once none is open', async () => {
    const { database } = fileDatabase({ startBytes: Number.POSITIVE_INFINITY });
    let releaseOpen = () => {};
    const open = database.transaction(async (transaction) => {
      await transaction.run('INSERT INTO rows (id, body) VALUES (1, ?)', ['open']);
      await new Promise<void>((resolve) => (releaseOpen = resolve));
    });
    await Promise.resolve();
    let held = false;
    const holding = database.hold().then(() => (held = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(held).toBe(false);
    releaseOpen();
    await open;
    await holding;
    expect(held).toBe(true);
    let wrote = false;
    const later = database
      .transaction((transaction) => transaction.run('INSERT INTO rows (id, body) VALUES (2, ?)', ['later']))
      .then(() => (wrote = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(wrote).toBe(false);
    database.release();
    await later;
    expect(wrote).toBe(true);
  });

  it('gives up a RESTART that a reader keeps waiting, lets the writes go, and restarts once the reader is done', async () => {
    const { database, path } = fileDatabase({ busyTimeoutMs: 20 });
    await writeRows(database, 0, 64);
    await until(() => database.checkpointer !== undefined);
    // Another connection in a read transaction keeps a snapshot of the log: the log cannot start again.
    const reader = new Database(path);
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM rows').get();
    await writeRows(database, 64, 200);
    await until(() => (database.checkpointer?.stats.failed ?? 0) > 0);
    // The writes were let go: more of them commit.
    await writeRows(database, 264, 10);
    reader.exec('COMMIT');
    reader.close();
    const restarts = database.checkpointer?.stats.restarts ?? 0;
    await writeRows(database, 274, 100);
    await until(() => (database.checkpointer?.stats.restarts ?? 0) > restarts);
    const count = await database.reader.get<{ n: number }>('SELECT count(*) AS n FROM rows');
    expect(count?.n).toBe(374);
  });

  it('lets the writer checkpoint again, with a warning, when the thread dies', async () => {
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    try {
      const dying = `${WAL_CHECKPOINTER_SOURCE}\nsetTimeout(() => process.exit(7), 30);`;
      const { database } = fileDatabase({ source: dying });
      await writeRows(database, 0, 64);
      await until(() => warnings.some((warning) => (warning as { code?: string }).code === 'CTX_WAL_CHECKPOINTER_FAILED'));
      await writeRows(database, 64, 64);
      const count = await database.reader.get<{ n: number }>('SELECT count(*) AS n FROM rows');
      expect(count?.n).toBe(128);
    } finally {
      process.off('warning', listen);
    }
  });

  it('checkpoints the commits made while it was starting, with no commit after them', async () => {
    // A thread slow to start: every write below has committed before its connection opens.
    const slowStart = `for (const end = Date.now() + 300; Date.now() < end; );\n${WAL_CHECKPOINTER_SOURCE}`;
    const { database } = fileDatabase({ source: slowStart });
    await writeRows(database, 0, 164);
    await until(() => (database.checkpointer?.stats.passive ?? 0) > 0);
    expect(database.checkpointer?.stats.lastLog).toBeGreaterThan(0);
  });

  it('never starts on a database whose log stays small', async () => {
    const { database } = fileDatabase({ startBytes: 64 * 1024 * 1024 });
    await writeRows(database, 0, 200);
    expect(database.checkpointer).toBeUndefined();
  });
});
