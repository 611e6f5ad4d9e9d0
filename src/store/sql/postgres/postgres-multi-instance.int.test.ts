import { afterEach, beforeEach, expect, it } from 'vitest';
import { writeWithRetry } from '../../conformance/concurrency-conformance.js';
import {
  collectPages,
  expectLinearHistory,
  isErrorWithCode,
  makeDraft,
  makeTenant,
  makeUpdate,
  putVersion,
} from '../../conformance/fixtures.js';
import type { Store } from '../../store.js';
import { listMigrationNames } from '../migrations/migrations.js';
import { createPostgresStore, migratePostgresStore } from './create-postgres-store.js';
import { describePostgres } from './postgres-test-database.js';

describePostgres('postgres: two engine instances (two pools) on one database', (database) => {
  let first: Store;
  let second: Store;

  beforeEach(async () => {
    // Both instances start (and migrate) at once on a fresh schema.
    const schema = database.nextSchema();
    [first, second] = await Promise.all([
      createPostgresStore({ url: database.url, schema }),
      createPostgresStore({ url: database.url, schema }),
    ]);
    await first.tenants.create(makeTenant('acme'));
  });

  afterEach(async () => {
    await Promise.all([first.close(), second.close()]);
  });

  const storeFor = (index: number) => (index % 2 === 0 ? first : second);

  it('lets exactly one of 50 commits expecting the same version win', async () => {
    await putVersion(first, 'acme', 'k', 'base', null);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) => putVersion(storeFor(index), 'acme', 'k', `writer ${index}`, 1)),
    );
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(results.length - rejected.length).toBe(1);
    expect(rejected.every((result) => isErrorWithCode(result.reason, 'version_conflict'))).toBe(true);
    expectLinearHistory(await collectPages((cursor) => second.contexts.listVersions('acme', 'k', { cursor })), 2);
  });

  it('lets exactly one of 50 first versions of a new key win (no head row to lock yet)', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) => putVersion(storeFor(index), 'acme', 'fresh', `writer ${index}`, null)),
    );
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(results.length - rejected.length).toBe(1);
    expect(rejected.every((result) => isErrorWithCode(result.reason, 'version_conflict'))).toBe(true);
    expectLinearHistory(await collectPages((cursor) => first.contexts.listVersions('acme', 'fresh', { cursor })), 1);
  });

  it('loses and duplicates nothing when writers on both instances retry on conflict', async () => {
    const writersPerStore = 6;
    const writesEach = 10;
    await Promise.all(
      [first, second].flatMap((store, storeIndex) =>
        Array.from({ length: writersPerStore }, async (_, writer) => {
          for (let write = 0; write < writesEach; write += 1) {
            await writeWithRetry(store, 'acme', 'shared', `${storeIndex}:${writer}:${write}`);
          }
        }),
      ),
    );
    const total = 2 * writersPerStore * writesEach;
    for (const store of [first, second]) {
      const history = await collectPages((cursor) => store.contexts.listVersions('acme', 'shared', { cursor, limit: 50 }));
      expectLinearHistory(history, total);
      expect(new Set(history.map((version) => version.value)).size).toBe(total);
      expect((await store.contexts.getCurrent('acme', 'shared'))?.version).toBe(total);
    }
  });

  it('ends every approve-versus-reject race across the instances in exactly one state', async () => {
    for (let round = 0; round < 10; round += 1) {
      const key = `race/${round}`;
      const pending = makeUpdate('acme', key, { status: 'pending', value: 'proposed' });
      await first.contexts.commit({ update: pending });
      const approver = round % 2 === 0 ? first : second;
      const rejecter = round % 2 === 0 ? second : first;
      const [approve, reject] = await Promise.allSettled([
        approver.contexts.commit({
          update: { ...pending, status: 'applied', reviewedBy: 'ann' },
          expectStatus: 'pending',
          append: { expectedCurrentVersion: null, draft: makeDraft('proposed') },
        }),
        rejecter.contexts.commit({ update: { ...pending, status: 'rejected', reviewedBy: 'bob' }, expectStatus: 'pending' }),
      ]);
      const settled = [approve, reject];
      expect(settled.filter((result) => result?.status === 'fulfilled')).toHaveLength(1);
      const loser = settled.find((result) => result?.status === 'rejected') as PromiseRejectedResult;
      expect(isErrorWithCode(loser.reason, 'update_state_changed')).toBe(true);
      const stored = await second.contexts.getUpdate('acme', pending.id);
      const current = await first.contexts.getCurrent('acme', key);
      if (approve?.status === 'fulfilled') {
        expect([stored?.status, current?.version]).toEqual(['applied', 1]);
      } else {
        expect([stored?.status, current]).toEqual(['rejected', undefined]);
      }
    }
  });

  it('reads through one instance what the other wrote, at once', async () => {
    for (let round = 0; round < 5; round += 1) {
      const writer = storeFor(round);
      const reader = storeFor(round + 1);
      await putVersion(writer, 'acme', 'k', `round ${round}`, round === 0 ? null : round);
      expect((await reader.contexts.getCurrent('acme', 'k'))?.value).toBe(`round ${round}`);
    }
    expect((await second.tenants.get('acme'))?.id).toBe('acme');
  });

  it('applies each migration once when two instances migrate a fresh schema at once', async () => {
    const schema = database.nextSchema();
    const runs = await Promise.all(Array.from({ length: 3 }, () => migratePostgresStore({ url: database.url, schema })));
    expect(runs.flat().sort()).toEqual(listMigrationNames('postgres'));
    expect(await migratePostgresStore({ url: database.url, schema })).toEqual([]);
  });
});
