import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { collectPages, expectError, instant, makeTenant } from './fixtures.js';
import { finishedRun, insertRun, makeRun } from './run-fixtures.js';

async function runIds(store: Store, tenantId: string): Promise<string[]> {
  const runs = await collectPages((cursor) => store.runs.list(tenantId, { cursor }));
  return runs.map((run) => run.id).sort();
}

export function describeRunLimitsConformance(options: StoreConformanceOptions): void {
  describe('run limits and TTL', () => {
    const store = useFreshStore(options);

    it('evicts the oldest finished runs at the limit, never a running one', async () => {
      await store().tenants.create(makeTenant('acme'));
      // An old running run, and finished runs that finished in another order than they were created.
      await insertRun(store(), makeRun('acme', 'old-running', { createdAt: instant(0) }));
      await insertRun(store(), finishedRun('acme', 'f-late', 1, 50));
      await insertRun(store(), finishedRun('acme', 'f-early', 2, 10));
      await insertRun(store(), finishedRun('acme', 'f-middle', 3, 30));
      const limits = { maxRunsPerTenant: 4 };
      const first = await insertRun(store(), makeRun('acme', 'new-1', { createdAt: instant(60) }), limits);
      expect(first.removed).toEqual([{ tenantId: 'acme', runId: 'f-early', reason: 'evicted' }]);
      const second = await insertRun(store(), makeRun('acme', 'new-2', { createdAt: instant(61) }), { maxRunsPerTenant: 3 });
      expect(second.removed.map((entry) => entry.runId)).toEqual(['f-middle', 'f-late']);
      expect(await runIds(store(), 'acme')).toEqual(['new-1', 'new-2', 'old-running']);
    });

    it('refuses a new run when every run at the limit is running, and changes nothing', async () => {
      await store().tenants.create(makeTenant('acme'));
      for (const id of ['a', 'b']) await insertRun(store(), makeRun('acme', id));
      const refused = await expectError(
        insertRun(store(), makeRun('acme', 'c'), { maxRunsPerTenant: 2, expireFinishedBefore: instant(1000) }),
        'ConflictError',
        'run_limit_reached',
      );
      expect(refused.details).toEqual({ maxRunsPerTenant: 2 });
      expect(await runIds(store(), 'acme')).toEqual(['a', 'b']);
    });

    it('keeps the tenant unchanged when an insert fails after choosing what to evict', async () => {
      await store().tenants.create(makeTenant('acme'));
      await insertRun(store(), finishedRun('acme', 'done', 1, 2));
      await insertRun(store(), makeRun('acme', 'dup'));
      await expectError(insertRun(store(), makeRun('acme', 'dup'), { maxRunsPerTenant: 2 }), 'ConflictError', 'run_exists');
      expect(await runIds(store(), 'acme')).toEqual(['done', 'dup']);
    });

    it('expires finished runs past the TTL when a run is added, never running ones', async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().tenants.create(makeTenant('globex'));
      await insertRun(store(), makeRun('acme', 'ancient-running', { createdAt: instant(0) }));
      await insertRun(store(), finishedRun('acme', 'expired', 1, 5));
      await insertRun(store(), finishedRun('acme', 'fresh', 2, 20));
      await insertRun(store(), finishedRun('globex', 'expired-elsewhere', 1, 5));
      const result = await insertRun(store(), makeRun('acme', 'new'), {
        maxRunsPerTenant: 100,
        expireFinishedBefore: instant(10),
      });
      expect(result.removed).toEqual([{ tenantId: 'acme', runId: 'expired', reason: 'expired' }]);
      expect(await runIds(store(), 'acme')).toEqual(['ancient-running', 'fresh', 'new']);
      expect(await runIds(store(), 'globex')).toEqual(['expired-elsewhere']);
    });

    it('purges expired runs of one tenant or of all, never running ones', async () => {
      for (const tenant of ['acme', 'globex']) {
        await store().tenants.create(makeTenant(tenant));
        await insertRun(store(), makeRun(tenant, 'running', { createdAt: instant(0) }));
        await insertRun(store(), finishedRun(tenant, 'old', 1, 5));
        await insertRun(store(), finishedRun(tenant, 'new', 1, 50));
      }
      expect(await store().runs.purgeExpired(instant(10), 'acme')).toEqual([
        { tenantId: 'acme', runId: 'old', reason: 'expired' },
      ]);
      expect(await runIds(store(), 'globex')).toEqual(['new', 'old', 'running']);
      const everywhere = await store().runs.purgeExpired(instant(100));
      expect(everywhere.map((entry) => `${entry.tenantId}/${entry.runId}`).sort()).toEqual([
        'acme/new',
        'globex/new',
        'globex/old',
      ]);
      expect(await runIds(store(), 'acme')).toEqual(['running']);
      expect(await runIds(store(), 'globex')).toEqual(['running']);
    });

    it('lets concurrent creations never exceed the limit', async () => {
      await store().tenants.create(makeTenant('acme'));
      const results = await Promise.allSettled(
        Array.from({ length: 12 }, (_, index) => insertRun(store(), makeRun('acme', `r${index}`), { maxRunsPerTenant: 5 })),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
      for (const result of results) {
        if (result.status === 'rejected') expect((result.reason as { code?: string }).code).toBe('run_limit_reached');
      }
      expect(await runIds(store(), 'acme')).toHaveLength(5);
    });
  });
}
