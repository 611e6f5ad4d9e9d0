import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { collectPages, expectLinearHistory, isErrorWithCode, makeDraft, makeTenant, makeUpdate, putVersion } from './fixtures.js';

/** Reads the current version, writes on top of it, and retries on version_conflict until it lands. */
export async function writeWithRetry(store: Store, tenantId: string, key: string, value: string): Promise<number> {
  for (let attempt = 0; attempt < 10_000; attempt += 1) {
    const current = await store.contexts.getCurrent(tenantId, key);
    try {
      await putVersion(store, tenantId, key, value, current?.version ?? null);
      return attempt;
    } catch (error) {
      if (!isErrorWithCode(error, 'version_conflict')) throw error;
    }
  }
  throw new Error('A writer never got its turn.');
}

export function describeConcurrencyConformance(options: StoreConformanceOptions): void {
  describe('concurrent writers', () => {
    const store = useFreshStore(options);

    it('lets exactly one of 50 commits expecting the same version win', async () => {
      await store().tenants.create(makeTenant('acme'));
      await putVersion(store(), 'acme', 'k', 'base', null);
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, index) => putVersion(store(), 'acme', 'k', `writer ${index}`, 1)),
      );
      const failures = results.filter((result) => result.status === 'rejected');
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(failures).toHaveLength(49);
      for (const failure of failures) {
        expect(isErrorWithCode((failure as PromiseRejectedResult).reason, 'version_conflict')).toBe(true);
      }
      const history = await collectPages((cursor) => store().contexts.listVersions('acme', 'k', { cursor }));
      expectLinearHistory(history, 2);
    });

    it('loses no update when many writers retry on conflict', async () => {
      await store().tenants.create(makeTenant('acme'));
      const writers = 8;
      const writesEach = 6;
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let write = 0; write < writesEach; write += 1) {
            await writeWithRetry(store(), 'acme', 'counter', `${writer}:${write}`);
          }
        }),
      );
      const history = await collectPages((cursor) => store().contexts.listVersions('acme', 'counter', { cursor }));
      expectLinearHistory(history, writers * writesEach);
      expect(new Set(history.map((version) => version.value)).size).toBe(writers * writesEach);
      expect((await store().contexts.getCurrent('acme', 'counter'))?.version).toBe(writers * writesEach);
    });

    it('ends an approve-versus-reject race in exactly one state', async () => {
      await store().tenants.create(makeTenant('acme'));
      const pending = makeUpdate('acme', 'k', { status: 'pending', value: 'proposed' });
      await store().contexts.commit({ update: pending });
      const [approve, reject] = await Promise.allSettled([
        store().contexts.commit({
          update: { ...pending, status: 'applied', reviewedBy: 'ann' },
          expectStatus: 'pending',
          append: { expectedCurrentVersion: null, draft: makeDraft('proposed') },
        }),
        store().contexts.commit({
          update: { ...pending, status: 'rejected', reviewedBy: 'bob', reason: 'no' },
          expectStatus: 'pending',
        }),
      ]);
      const outcomes = [approve?.status, reject?.status];
      expect(outcomes.filter((status) => status === 'fulfilled')).toHaveLength(1);
      const loser = [approve, reject].find((result) => result?.status === 'rejected') as PromiseRejectedResult;
      expect(isErrorWithCode(loser.reason, 'update_state_changed')).toBe(true);
      const stored = await store().contexts.getUpdate('acme', pending.id);
      const current = await store().contexts.getCurrent('acme', 'k');
      if (approve?.status === 'fulfilled') {
        expect(stored?.status).toBe('applied');
        expect(current?.version).toBe(1);
      } else {
        expect(stored?.status).toBe('rejected');
        expect(current).toBeUndefined();
      }
    });

    it('applies concurrent writes to different keys and tenants independently', async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().tenants.create(makeTenant('globex'));
      const writes = Array.from({ length: 60 }, (_, index) =>
        putVersion(store(), index % 2 === 0 ? 'acme' : 'globex', `key/${index}`, index, null),
      );
      const results = await Promise.all(writes);
      expect(results.every((result) => result.version?.version === 1)).toBe(true);
      const acmeKeys = await collectPages((cursor) => store().contexts.listKeys('acme', { cursor, limit: 7 }));
      expect(acmeKeys).toHaveLength(30);
    });
  });
}
