import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RemovedRun } from '../core/run.js';
import type { Engine } from '../engine.js';
import { engineBackends } from '../test-support/engines.js';
import { createRunService, type RunService } from './run-service.js';
import { runsConfigSchema } from './runs-config.js';

const HOUR = 3600_000;

for (const backend of engineBackends) {
  describe(`run limits and TTL (${backend.name})`, () => {
    let engine: Engine;
    let cleanup: () => Promise<void>;
    let clock: number;
    let runs: RunService;
    const removed: RemovedRun[] = [];

    beforeEach(async () => {
      ({ engine, cleanup } = await backend.open());
      await engine.tenants.create({ id: 'acme' });
      clock = Date.parse('2025-01-01T00:00:00.000Z');
      removed.length = 0;
      engine.bus.on('run.removed', (entry) => void removed.push(entry));
      runs = createRunService({
        store: engine.store.runs,
        tenants: engine.tenants,
        bus: engine.bus,
        config: runsConfigSchema.parse({ maxRunsPerTenant: 3, ttlSeconds: 3600, sweepIntervalSeconds: 0 }),
        maxValueBytes: 1 << 20,
        now: () => new Date(clock).toISOString(),
      });
    });
    afterEach(async () => {
      runs.close();
      await cleanup();
    });

    async function create(label: string): Promise<string> {
      clock += 1000;
      return (await runs.create({ tenantId: 'acme', targetPath: label })).id;
    }

    async function visible(): Promise<string[]> {
      return (await runs.list('acme')).items.map((run) => run.targetPath);
    }

    it('evicts the oldest finished run at the limit and never a running one', async () => {
      const running = await create('running');
      const first = await create('first');
      const second = await create('second');
      clock += 1000;
      await runs.setStatus('acme', second, 'completed');
      clock += 1000;
      await runs.setStatus('acme', first, 'failed');
      await create('third');
      expect(removed).toEqual([{ tenantId: 'acme', runId: second, reason: 'evicted' }]);
      expect(await visible()).toEqual(['running', 'first', 'third']);
      await create('fourth');
      expect(await visible()).toEqual(['running', 'third', 'fourth']);
      await expect(create('fifth')).rejects.toMatchObject({ code: 'run_limit_reached' });
      expect(await visible()).toEqual(['running', 'third', 'fourth']);
      expect((await runs.get('acme', running)).status).toBe('running');
    });

    it('hides and removes finished runs once their TTL has passed, never running ones', async () => {
      const old = await create('old-running');
      const done = await create('done');
      await runs.setStatus('acme', done, 'completed');
      clock += 2 * HOUR;
      // Past its TTL the finished run is gone for readers at once, and removed at the next creation or sweep.
      await expect(runs.get('acme', done)).rejects.toMatchObject({ code: 'run_not_found' });
      expect(await visible()).toEqual(['old-running']);
      expect((await runs.get('acme', old)).status).toBe('running');
      await create('new');
      expect(removed).toEqual([{ tenantId: 'acme', runId: done, reason: 'expired' }]);
      expect(await engine.store.runs.get('acme', done)).toBeUndefined();
      const late = await create('late');
      await runs.setStatus('acme', late, 'cancelled');
      clock += 2 * HOUR;
      expect(await runs.purgeExpired()).toEqual([{ tenantId: 'acme', runId: late, reason: 'expired' }]);
      expect(await visible()).toEqual(['old-running', 'new']);
    });

    it('keeps finished runs forever with ttlSeconds 0', async () => {
      const keep = createRunService({
        store: engine.store.runs,
        tenants: engine.tenants,
        bus: engine.bus,
        config: runsConfigSchema.parse({ ttlSeconds: 0 }),
        maxValueBytes: 1 << 20,
        now: () => new Date(clock).toISOString(),
      });
      const { id } = await keep.create({ tenantId: 'acme', targetPath: 'kept' });
      await keep.setStatus('acme', id, 'completed');
      clock += 1000 * HOUR;
      expect((await keep.get('acme', id)).status).toBe('completed');
      expect(await keep.purgeExpired()).toEqual([]);
      keep.close();
    });

    it('deletes only finished runs', async () => {
      const id = await create('x');
      await expect(runs.delete('acme', id)).rejects.toMatchObject({ code: 'run_running' });
      await runs.setStatus('acme', id, 'completed');
      await runs.delete('acme', id);
      await expect(runs.get('acme', id)).rejects.toMatchObject({ code: 'run_not_found' });
      expect(removed).toEqual([{ tenantId: 'acme', runId: id, reason: 'deleted' }]);
    });
  });
}
