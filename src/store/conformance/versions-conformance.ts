import { describe, expect, it } from 'vitest';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { collectPages, deleteVersion, expectError, instant, makeDraft, makeTenant, makeUpdate, putVersion } from './fixtures.js';

export function describeVersionConformance(options: StoreConformanceOptions): void {
  describe('versions and reads', () => {
    const store = useFreshStore(options);
    const setUp = async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().tenants.create(makeTenant('globex'));
    };

    it('appends version 1 with every field, and reads it back by current and by number', async () => {
      await setUp();
      expect(await store().contexts.getCurrent('acme', 'product/overview')).toBeUndefined();
      const value = { title: 'Widget', tags: ['a', 'b'], nested: { price: 9.5, live: true, none: null } };
      const { version, update } = await putVersion(store(), 'acme', 'product/overview', value, null, instant(5));
      expect(version).toEqual({
        tenantId: 'acme',
        key: 'product/overview',
        version: 1,
        value,
        deleted: false,
        contentHash: `hash-${JSON.stringify(value)}`,
        source: 'api',
        author: 'tester',
        createdAt: instant(5),
        parentVersion: null,
        updateId: update.id,
      });
      expect(update.appliedVersion).toBe(1);
      expect(await store().contexts.getCurrent('acme', 'product/overview')).toEqual(version);
      expect(await store().contexts.getVersion('acme', 'product/overview', 1)).toEqual(version);
      expect(await store().contexts.getVersion('acme', 'product/overview', 2)).toBeUndefined();
    });

    it('stores the token counts a draft carries, on every read path; tombstones and drafts without have none', async () => {
      await setUp();
      const tokenCounts = { o200k_base: 12, cl100k_base: 14 };
      const { version } = await store().contexts.commit({
        update: makeUpdate('acme', 'brand/voice', { value: { tone: 'warm' } }),
        append: { expectedCurrentVersion: null, draft: makeDraft({ tone: 'warm' }, { tokenCounts }) },
      });
      expect(version?.tokenCounts).toEqual(tokenCounts);
      expect((await store().contexts.getCurrent('acme', 'brand/voice'))?.tokenCounts).toEqual(tokenCounts);
      expect((await store().contexts.getVersion('acme', 'brand/voice', 1))?.tokenCounts).toEqual(tokenCounts);
      const history = await store().contexts.listVersions('acme', 'brand/voice', {});
      expect(history.items[0]?.tokenCounts).toEqual(tokenCounts);
      const { version: tombstone } = await store().contexts.commit({
        update: makeUpdate('acme', 'brand/voice', { op: 'delete', value: undefined }),
        append: { expectedCurrentVersion: 1, draft: makeDraft(null, { deleted: true, tokenCounts }) },
      });
      expect(tombstone?.tokenCounts).toBeUndefined();
      expect((await store().contexts.getVersion('acme', 'brand/voice', 2))?.tokenCounts).toBeUndefined();
      const { version: uncounted } = await putVersion(store(), 'acme', 'plain', { n: 1 }, null);
      expect(uncounted).not.toHaveProperty('tokenCounts');
      expect(await store().contexts.getCurrent('acme', 'plain')).not.toHaveProperty('tokenCounts');
    });

    it('keeps every version and serves any of them', async () => {
      await setUp();
      for (let index = 0; index < 3; index += 1) await putVersion(store(), 'acme', 'k', { n: index }, index || null);
      expect((await store().contexts.getCurrent('acme', 'k'))?.value).toEqual({ n: 2 });
      expect((await store().contexts.getVersion('acme', 'k', 2))?.value).toEqual({ n: 1 });
      expect((await store().contexts.getVersion('acme', 'k', 2))?.parentVersion).toBe(1);
    });

    it('picks the newest version created at or before a time', async () => {
      await setUp();
      await putVersion(store(), 'acme', 'k', 'one', null, instant(10));
      await putVersion(store(), 'acme', 'k', 'two', 1, instant(20));
      await putVersion(store(), 'acme', 'k', 'three', 2, instant(30));
      const asOf = async (seconds: number) => (await store().contexts.getAsOf('acme', 'k', instant(seconds)))?.version;
      expect(await asOf(5)).toBeUndefined();
      expect(await asOf(10)).toBe(1);
      expect(await asOf(25)).toBe(2);
      expect(await asOf(30)).toBe(3);
      expect(await asOf(1_000)).toBe(3);
      const noMilliseconds = new Date(Date.parse(instant(20))).toISOString().replace('.000Z', 'Z');
      expect((await store().contexts.getAsOf('acme', 'k', noMilliseconds))?.version).toBe(2);
      await expectError(store().contexts.getAsOf('acme', 'k', 'yesterday'), 'ValidationError', 'invalid_timestamp');
    });

    it('lists versions oldest first across pages', async () => {
      await setUp();
      for (let index = 0; index < 7; index += 1) await putVersion(store(), 'acme', 'k', index, index || null);
      const versions = await collectPages((cursor) => store().contexts.listVersions('acme', 'k', { cursor, limit: 3 }));
      expect(versions.map((version) => version.value)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      expect((await store().contexts.listVersions('acme', 'other', {})).items).toEqual([]);
    });

    it('lists current keys in order, by prefix, across pages without duplicates', async () => {
      await setUp();
      const keys = ['product/b', 'product/a', 'brand/voice', 'product/c/detail', 'productx', 'zeta', 'alpha', 'product/d'];
      for (const key of keys) await putVersion(store(), 'acme', key, key, null, instant(3));
      await putVersion(store(), 'acme', 'product/a', 'again', 1, instant(4));
      const listed = await collectPages((cursor) => store().contexts.listKeys('acme', { cursor, limit: 3 }));
      expect(listed.map((summary) => summary.key)).toEqual([...keys].sort());
      expect(listed.find((summary) => summary.key === 'product/a')).toEqual({
        key: 'product/a',
        version: 2,
        updatedAt: instant(4),
      });
      const products = await collectPages((cursor) =>
        store().contexts.listKeys('acme', { cursor, limit: 2, prefix: 'product/' }),
      );
      expect(products.map((summary) => summary.key)).toEqual(['product/a', 'product/b', 'product/c/detail', 'product/d']);
    });

    it('counts tombstones for versions and hides them from listKeys', async () => {
      await setUp();
      await putVersion(store(), 'acme', 'gone', 'x', null);
      await putVersion(store(), 'acme', 'kept', 'y', null);
      const { version: tombstone } = await deleteVersion(store(), 'acme', 'gone', 1);
      expect(tombstone).toMatchObject({ version: 2, deleted: true, value: null, parentVersion: 1 });
      expect(await store().contexts.getCurrent('acme', 'gone')).toMatchObject({ version: 2, deleted: true });
      expect((await store().contexts.listKeys('acme', {})).items.map((summary) => summary.key)).toEqual(['kept']);
      await expectError(putVersion(store(), 'acme', 'gone', 'back', 1), 'ConflictError', 'version_conflict');
      await expectError(putVersion(store(), 'acme', 'gone', 'back', null), 'ConflictError', 'version_conflict');
      await putVersion(store(), 'acme', 'gone', 'back', 2);
      expect((await store().contexts.listKeys('acme', {})).items.map((summary) => summary.key)).toEqual(['gone', 'kept']);
    });

    it('counts documents, versions, pending updates and sources per tenant', async () => {
      await setUp();
      expect(await store().contexts.stats('acme')).toEqual({
        documents: 0,
        versions: 0,
        pendingUpdates: 0,
        lastUpdateAt: null,
        updatesBySource: {},
      });
      await putVersion(store(), 'acme', 'a', 1, null, instant(10));
      await putVersion(store(), 'acme', 'a', 2, 1, instant(20));
      await putVersion(store(), 'acme', 'b', 1, null, instant(30));
      await deleteVersion(store(), 'acme', 'b', 1, instant(40));
      await store().contexts.commit({ update: makeUpdate('acme', 'c', { status: 'pending', source: 'human_upload' }) });
      await putVersion(store(), 'globex', 'a', 1, null, instant(50));
      expect(await store().contexts.stats('acme')).toEqual({
        documents: 1,
        versions: 4,
        pendingUpdates: 1,
        lastUpdateAt: instant(40),
        updatesBySource: { api: 4, human_upload: 1 },
      });
    });

    it('returns copies of values', async () => {
      await setUp();
      const value = { list: [1, 2] };
      await putVersion(store(), 'acme', 'k', value, null);
      value.list.push(3);
      const read = await store().contexts.getCurrent('acme', 'k');
      (read?.value as { list: number[] } | undefined)?.list.push(4);
      expect((await store().contexts.getCurrent('acme', 'k'))?.value).toEqual({ list: [1, 2] });
    });
  });
}
