import { describe, expect, it } from 'vitest';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { collectPages, expectError, makeTenant } from './fixtures.js';

export function describeTenantConformance(options: StoreConformanceOptions): void {
  describe('tenants', () => {
    const store = useFreshStore(options);

    it('creates a tenant and reads it back', async () => {
      const tenant = makeTenant('acme', { facets: { industry: 'retail', companySize: '50-200' } });
      expect(await store().tenants.create(tenant)).toEqual(tenant);
      expect(await store().tenants.get('acme')).toEqual(tenant);
      expect(await store().tenants.get('nobody')).toBeUndefined();
    });

    it('refuses a second tenant with the same id', async () => {
      await store().tenants.create(makeTenant('acme'));
      await expectError(store().tenants.create(makeTenant('acme', { name: 'Other' })), 'ConflictError', 'tenant_exists');
      expect((await store().tenants.get('acme'))?.name).toBe('Tenant acme');
    });

    it('lists tenants by id across pages without gaps or duplicates', async () => {
      const ids = ['delta', 'alpha', 'echo', 'charlie', 'bravo', 'foxtrot', 'golf'];
      for (const id of ids) await store().tenants.create(makeTenant(id));
      const listed = await collectPages((cursor) => store().tenants.list({ cursor, limit: 3 }));
      expect(listed.map((tenant) => tenant.id)).toEqual([...ids].sort());
      const firstPage = await store().tenants.list({ limit: 7 });
      expect(firstPage.items).toHaveLength(7);
      expect(firstPage.nextCursor).toBeUndefined();
    });

    it('replaces the policy overrides, and refuses an unknown tenant', async () => {
      await store().tenants.create(makeTenant('acme', { policy: { minConfidence: 0.9 } }));
      const updated = await store().tenants.setPolicy('acme', { sources: { api: 'review' } as never });
      expect(updated.policy).toEqual({ sources: { api: 'review' } });
      expect((await store().tenants.get('acme'))?.policy).toEqual({ sources: { api: 'review' } });
      await expectError(store().tenants.setPolicy('nobody', {}), 'NotFoundError', 'tenant_not_found');
    });

    it('returns copies that callers cannot use to change stored state', async () => {
      const tenant = makeTenant('acme');
      await store().tenants.create(tenant);
      tenant.facets.industry = 'changed-after-create';
      const read = await store().tenants.get('acme');
      if (read === undefined) throw new Error('missing tenant');
      read.facets.industry = 'changed-after-read';
      expect((await store().tenants.get('acme'))?.facets.industry).toBe('saas');
    });

    it('refuses a cursor it did not issue and a limit below one', async () => {
      await expectError(store().tenants.list({ cursor: 'not-a-cursor' }), 'ValidationError', 'invalid_cursor');
      await expectError(store().tenants.list({ limit: 0 }), 'ValidationError', 'invalid_limit');
    });

    it('creates each tenant once when the same id is created concurrently', async () => {
      const results = await Promise.allSettled(Array.from({ length: 10 }, () => store().tenants.create(makeTenant('acme'))));
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    });
  });
}
