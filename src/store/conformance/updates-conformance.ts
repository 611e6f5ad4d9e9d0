import { describe, expect, it } from 'vitest';
import type { UpdateStatus } from '../../core/context-update.js';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { collectPages, instant, makeTenant, makeUpdate } from './fixtures.js';

export function describeUpdateConformance(options: StoreConformanceOptions): void {
  describe('updates', () => {
    const store = useFreshStore(options);

    const seed = async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().tenants.create(makeTenant('globex'));
      const statuses: UpdateStatus[] = ['pending', 'applied', 'rejected'];
      const created = [];
      for (let index = 0; index < 13; index += 1) {
        const update = makeUpdate(index % 2 === 0 ? 'acme' : 'globex', index % 3 === 0 ? 'a' : 'b', {
          id: `upd_${String(20 - index).padStart(3, '0')}`,
          // Three updates share each instant, so the id breaks ties.
          createdAt: instant(Math.floor(index / 3)),
          status: statuses[index % 3] as UpdateStatus,
        });
        await store().contexts.commit({ update });
        created.push(update);
      }
      return created.sort((left, right) =>
        left.createdAt === right.createdAt ? (left.id < right.id ? -1 : 1) : left.createdAt < right.createdAt ? -1 : 1,
      );
    };

    it('lists every update by (createdAt, id) across pages without duplicates', async () => {
      const expected = await seed();
      const listed = await collectPages((cursor) => store().contexts.listUpdates({ cursor, limit: 4 }));
      expect(listed.map((update) => update.id)).toEqual(expected.map((update) => update.id));
      expect(listed).toEqual(expected);
    });

    it('filters by tenants, status and key', async () => {
      const all = await seed();
      const pick = (test: (update: (typeof all)[number]) => boolean) => all.filter(test).map((update) => update.id);
      const ids = async (filter: Parameters<ReturnType<typeof store>['contexts']['listUpdates']>[0]) =>
        (await collectPages((cursor) => store().contexts.listUpdates({ ...filter, cursor, limit: 2 }))).map(
          (update) => update.id,
        );
      expect(await ids({ tenantIds: ['acme'] })).toEqual(pick((update) => update.tenantId === 'acme'));
      expect(await ids({ tenantIds: ['acme', 'globex'], status: 'pending' })).toEqual(
        pick((update) => update.status === 'pending'),
      );
      expect(await ids({ status: 'rejected', key: 'b' })).toEqual(
        pick((update) => update.status === 'rejected' && update.key === 'b'),
      );
      expect(await ids({ tenantIds: ['globex'], key: 'a' })).toEqual(
        pick((update) => update.tenantId === 'globex' && update.key === 'a'),
      );
      expect(await ids({ tenantIds: [] })).toEqual([]);
      expect(await ids({ tenantIds: ['nobody'] })).toEqual([]);
    });

    it('walks an update through pending, approved and applied with status compare-and-set', async () => {
      await store().tenants.create(makeTenant('acme'));
      const update = makeUpdate('acme', 'k', { status: 'pending' });
      await store().contexts.commit({ update });
      await store().contexts.commit({ update: { ...update, status: 'approved' }, expectStatus: 'pending' });
      await store().contexts.commit({ update: { ...update, status: 'applied' }, expectStatus: 'approved' });
      expect((await store().contexts.getUpdate('acme', update.id))?.status).toBe('applied');
      expect((await store().contexts.listUpdates({ status: 'pending' })).items).toEqual([]);
    });
  });
}
