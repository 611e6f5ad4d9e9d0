import { describe, expect, it } from 'vitest';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { expectError, instant, makeTenant, makeUpdate, putVersion } from './fixtures.js';

export function describeIsolationConformance(options: StoreConformanceOptions): void {
  describe('tenant isolation', () => {
    const store = useFreshStore(options);

    it("never shows one tenant's versions or updates through another tenant's id", async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().tenants.create(makeTenant('globex'));
      await putVersion(store(), 'acme', 'secret', { plan: 'x' }, null, instant(5));
      const pending = makeUpdate('acme', 'secret', { status: 'pending' });
      await store().contexts.commit({ update: pending });

      const contexts = store().contexts;
      expect(await contexts.getCurrent('globex', 'secret')).toBeUndefined();
      expect(await contexts.getVersion('globex', 'secret', 1)).toBeUndefined();
      expect(await contexts.getAsOf('globex', 'secret', instant(100))).toBeUndefined();
      expect((await contexts.listVersions('globex', 'secret', {})).items).toEqual([]);
      expect((await contexts.listKeys('globex', {})).items).toEqual([]);
      expect(await contexts.getUpdate('globex', pending.id)).toBeUndefined();
      expect((await contexts.listUpdates({ tenantIds: ['globex'] })).items).toEqual([]);
      expect((await contexts.stats('globex')).versions).toBe(0);
      await expectError(
        contexts.commit({ update: { ...pending, tenantId: 'globex', status: 'rejected' }, expectStatus: 'pending' }),
        'NotFoundError',
        'update_not_found',
      );
      expect((await contexts.getUpdate('acme', pending.id))?.status).toBe('pending');
      await putVersion(store(), 'globex', 'secret', { plan: 'y' }, null);
      expect((await contexts.getCurrent('acme', 'secret'))?.value).toEqual({ plan: 'x' });
    });
  });
}
