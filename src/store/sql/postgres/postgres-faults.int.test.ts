import { setTimeout as sleep } from 'node:timers/promises';
import { expect, it } from 'vitest';
import { BackendUnavailableError } from '../../../core/errors.js';
import { isErrorWithCode, makeTenant, putVersion } from '../../conformance/fixtures.js';
import type { Store } from '../../store.js';
import { createPostgresStore } from './create-postgres-store.js';
import { describePostgres } from './postgres-test-database.js';

describePostgres('postgres: faults', (database) => {
  it('answers BackendUnavailableError (never "not found") while its connections are killed, then recovers by itself', async () => {
    const store = await database.openStore({ poolSize: 6, connectionTimeoutMs: 2_000 });
    await store.tenants.create(makeTenant('acme'));
    const acknowledged = new Map<string, Map<number, string>>();
    const unexpected: unknown[] = [];
    let unavailable = 0;
    let running = true;

    const worker = async (index: number) => {
      const key = `load/${index}`;
      const versions = new Map<number, string>();
      acknowledged.set(key, versions);
      let current: number | null = null;
      for (let write = 0; running; write += 1) {
        try {
          const value = `${index}:${write}`;
          const { version } = await putVersion(store, 'acme', key, value, current);
          current = version?.version ?? null;
          if (current !== null) versions.set(current, value);
          const read = await store.contexts.getCurrent('acme', key);
          if (read === undefined) unexpected.push(new Error(`${key} read as missing after version ${current}`));
        } catch (error) {
          if (error instanceof BackendUnavailableError) unavailable += 1;
          else if (!isErrorWithCode(error, 'version_conflict')) unexpected.push(error);
          // A write whose COMMIT was cut off may or may not have landed: learn where the key is, when we can.
          current = (await readVersion(store, key)) ?? current;
        }
      }
    };

    const load = Promise.all(Array.from({ length: 8 }, (_, index) => worker(index)));
    for (let round = 0; round < 3; round += 1) {
      await sleep(250);
      expect(await database.terminateConnections()).toBeGreaterThan(0);
    }
    await sleep(250);
    running = false;
    await load;

    expect(unexpected).toEqual([]);
    expect(unavailable).toBeGreaterThan(0);
    // Recovered on its own: the next operations succeed.
    await sleep(100);
    await putVersion(store, 'acme', 'after', 'fine', null);
    expect((await store.contexts.getCurrent('acme', 'after'))?.value).toBe('fine');
    expect((await store.health()).ok).toBe(true);
    // Every acknowledged write is there.
    let checked = 0;
    for (const [key, versions] of acknowledged) {
      expect(versions.size).toBeGreaterThan(0);
      for (const [version, value] of versions) {
        expect((await store.contexts.getVersion('acme', key, version))?.value).toBe(value);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(8);
    await store.close();
  });

  it('answers BackendUnavailableError, never "not found", once closed', async () => {
    const store = await database.openStore();
    await store.tenants.create(makeTenant('acme'));
    await store.close();
    await expect(store.contexts.getCurrent('acme', 'k')).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(store.tenants.get('acme')).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(store.tenants.create(makeTenant('globex'))).rejects.toBeInstanceOf(BackendUnavailableError);
    expect((await store.health()).ok).toBe(false);
  });

  it('answers BackendUnavailableError when nothing listens at the address', async () => {
    const url = new URL(database.url);
    url.port = '1';
    await expect(createPostgresStore({ url: url.toString(), connectionTimeoutMs: 1_000 })).rejects.toBeInstanceOf(
      BackendUnavailableError,
    );
  });
});

async function readVersion(store: Store, key: string): Promise<number | undefined> {
  try {
    return (await store.contexts.getCurrent('acme', key))?.version;
  } catch {
    return undefined;
  }
}
