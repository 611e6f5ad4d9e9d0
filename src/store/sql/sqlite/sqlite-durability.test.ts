import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../../core/errors.js';
import { expectError, makeTenant, putVersion } from '../../conformance/fixtures.js';
import { listMigrationNames } from '../migrations/migrations.js';
import { migrateSqlStore, openSqlStore } from '../open-sql-store.js';
import { createSqliteStore, migrateSqliteStore } from './create-sqlite-store.js';

const betterSqlitePath = createRequire(import.meta.url).resolve('better-sqlite3');

/** Another thread (standing in for another process) holds the write lock for `holdMs`. */
function holdWriteLock(path: string, holdMs: number): Promise<{ released: Promise<void> }> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require(workerData.driver);
     const connection = new Database(workerData.path);
     connection.exec('BEGIN IMMEDIATE');
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     connection.exec('ROLLBACK');
     connection.close();`,
    { eval: true, workerData: { driver: betterSqlitePath, path, holdMs } },
  );
  const released = new Promise<void>((resolve, reject) => {
    worker.once('exit', () => resolve());
    worker.once('error', reject);
  });
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve({ released }));
    worker.once('error', reject);
  });
}

describe('sqlite: durability, locks and migrations', () => {
  let directory: string;
  let path: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ctx-sqlite-durable-'));
    path = join(directory, 'data', 'context.db');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('keeps acknowledged writes across a reopen, and migrates only once', async () => {
    expect(await migrateSqliteStore({ path })).toEqual(listMigrationNames('sqlite'));
    expect(await migrateSqlStore(`sqlite:${path}`)).toEqual([]);
    const store = await openSqlStore(`sqlite:${path}`);
    await store.tenants.create(makeTenant('acme'));
    await putVersion(store, 'acme', 'k', { kept: true }, null);
    await store.close();
    const reopened = await createSqliteStore({ path });
    expect((await reopened.contexts.getCurrent('acme', 'k'))?.value).toEqual({ kept: true });
    expect(await reopened.health()).toEqual({ ok: true, backend: 'sqlite' });
    await reopened.close();
  });

  it('waits for another writer’s lock within busy_timeout', async () => {
    const store = await createSqliteStore({ path, busyTimeoutMs: 5_000 });
    await store.tenants.create(makeTenant('acme'));
    const { released } = await holdWriteLock(path, 200);
    expect((await putVersion(store, 'acme', 'k', 'after the lock', null)).version?.version).toBe(1);
    await released;
    await store.close();
  });

  it('reports a lock held past busy_timeout as BackendUnavailableError, and still serves reads', async () => {
    const store = await createSqliteStore({ path, busyTimeoutMs: 50 });
    await store.tenants.create(makeTenant('acme'));
    await putVersion(store, 'acme', 'k', 'before', null);
    const { released } = await holdWriteLock(path, 1_000);
    const writes = [putVersion(store, 'acme', 'k', 'blocked', 1), putVersion(store, 'acme', 'other', 'blocked', null)];
    for (const write of writes) await expectError(write, 'BackendUnavailableError', 'backend_unavailable');
    expect((await store.contexts.getCurrent('acme', 'k'))?.value).toBe('before');
    await released;
    expect((await putVersion(store, 'acme', 'k', 'after', 1)).version?.version).toBe(2);
    await store.close();
  });

  it('answers BackendUnavailableError, never "not found", once closed', async () => {
    const store = await createSqliteStore({ path });
    await store.tenants.create(makeTenant('acme'));
    await store.close();
    await expect(store.contexts.getCurrent('acme', 'k')).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(store.tenants.create(makeTenant('globex'))).rejects.toBeInstanceOf(BackendUnavailableError);
    expect((await store.health()).ok).toBe(false);
  });
});
