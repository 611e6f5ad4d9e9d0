import { describe, expect, it } from 'vitest';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { collectPages, expectError, instant, makeTenant } from './fixtures.js';
import { appendCommand, finishedRun, insertRun, makeRun } from './run-fixtures.js';
import { describeRunConcurrencyConformance } from './runs-concurrency-conformance.js';
import { describeRunLimitsConformance } from './runs-limits-conformance.js';

export function describeRunConformance(options: StoreConformanceOptions): void {
  describe('runs', () => {
    const store = useFreshStore(options);

    it('inserts, reads and lists runs per tenant, with filters and cursors', async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().tenants.create(makeTenant('globex'));
      for (let index = 0; index < 5; index += 1) {
        const run = makeRun('acme', `run_${index}`, {
          createdAt: instant(index),
          status: index % 2 === 0 ? 'running' : 'failed',
        });
        if (run.status === 'failed') run.finishedAt = instant(index + 100);
        expect((await insertRun(store(), run)).run).toEqual(run);
      }
      await insertRun(store(), makeRun('globex', 'run_0', { targetPath: 'globex' }));
      expect(await store().runs.get('acme', 'run_1')).toMatchObject({
        id: 'run_1',
        status: 'failed',
        phaseNames: ['analysis', 'research', 'plan'],
      });
      expect((await store().runs.get('globex', 'run_0'))?.targetPath).toBe('globex');
      expect(await store().runs.get('globex', 'run_1')).toBeUndefined();
      const all = await collectPages((cursor) => store().runs.list('acme', { cursor, limit: 2 }));
      expect(all.map((run) => run.id)).toEqual(['run_0', 'run_1', 'run_2', 'run_3', 'run_4']);
      const running = await store().runs.list('acme', { status: 'running' });
      expect(running.items.map((run) => run.id)).toEqual(['run_0', 'run_2', 'run_4']);
      const since = await store().runs.list('acme', { since: instant(3) });
      expect(since.items.map((run) => run.id)).toEqual(['run_3', 'run_4']);
      expect((await store().runs.list('nobody', {})).items).toEqual([]);
    });

    it('refuses a run of an unknown tenant and a duplicate id', async () => {
      await expectError(insertRun(store(), makeRun('ghost', 'run_1')), 'NotFoundError', 'tenant_not_found');
      await store().tenants.create(makeTenant('acme'));
      await insertRun(store(), makeRun('acme', 'run_1'));
      await expectError(insertRun(store(), makeRun('acme', 'run_1')), 'ConflictError', 'run_exists');
    });

    it('changes the run row with a compare-and-set on its revision', async () => {
      await store().tenants.create(makeTenant('acme'));
      await insertRun(store(), makeRun('acme', 'run_1'));
      const errorLog = [{ at: instant(3), message: 'boom', phase: 'plan', agent: 'planner' }];
      const changed = await store().runs.update('acme', 'run_1', 1, { currentPhase: 'plan', errorLog, updatedAt: instant(3) });
      expect(changed).toMatchObject({ revision: 2, currentPhase: 'plan', errorLog, updatedAt: instant(3), status: 'running' });
      const stale = await expectError(
        store().runs.update('acme', 'run_1', 1, { status: 'completed', finishedAt: instant(4), updatedAt: instant(4) }),
        'ConflictError',
        'run_revision_conflict',
      );
      expect(stale.details).toMatchObject({ expectedRevision: 1, currentRevision: 2 });
      const finished = await store().runs.update('acme', 'run_1', 2, {
        status: 'completed',
        finishedAt: instant(4),
        updatedAt: instant(4),
      });
      expect(finished).toMatchObject({ revision: 3, status: 'completed', finishedAt: instant(4), currentPhase: 'plan' });
      expect(await store().runs.get('acme', 'run_1')).toEqual(finished);
      await expectError(store().runs.update('acme', 'missing', 1, { updatedAt: instant(5) }), 'NotFoundError', 'run_not_found');
      await expectError(store().runs.update('other', 'run_1', 3, { updatedAt: instant(5) }), 'NotFoundError', 'run_not_found');
    });

    it('appends phase versions with a compare-and-set per phase and keeps every version', async () => {
      await store().tenants.create(makeTenant('acme'));
      await insertRun(store(), makeRun('acme', 'run_1'));
      const first = await store().runs.appendPhase(appendCommand('acme', 'run_1', 'analysis', { files: 1 }, null));
      expect(first).toMatchObject({
        tenantId: 'acme',
        runId: 'run_1',
        phase: 'analysis',
        version: 1,
        data: { files: 1 },
        author: 'agent',
      });
      await store().runs.appendPhase(appendCommand('acme', 'run_1', 'research', ['a'], null));
      const second = await store().runs.appendPhase(appendCommand('acme', 'run_1', 'analysis', { files: 2 }, 1));
      expect(second.version).toBe(2);
      const conflict = await expectError(
        store().runs.appendPhase(appendCommand('acme', 'run_1', 'analysis', { files: 3 }, 1)),
        'ConflictError',
        'phase_version_conflict',
      );
      expect(conflict.details).toMatchObject({ expectedVersion: 1, currentVersion: 2 });
      await expectError(
        store().runs.appendPhase(appendCommand('acme', 'run_1', 'plan', { x: 1 }, 1)),
        'ConflictError',
        'phase_version_conflict',
      );
      expect((await store().runs.getPhase('acme', 'run_1', 'analysis'))?.data).toEqual({ files: 2 });
      expect((await store().runs.getPhase('acme', 'run_1', 'analysis', 1))?.data).toEqual({ files: 1 });
      expect(await store().runs.getPhase('acme', 'run_1', 'analysis', 3)).toBeUndefined();
      expect(await store().runs.getPhase('acme', 'run_1', 'plan')).toBeUndefined();
      const history = await collectPages((cursor) =>
        store().runs.listPhaseVersions('acme', 'run_1', 'analysis', { cursor, limit: 1 }),
      );
      expect(history.map((version) => version.version)).toEqual([1, 2]);
      const current = await store().runs.currentPhases('acme', 'run_1');
      expect(current.map((version) => `${version.phase}@${version.version}`).sort()).toEqual(['analysis@2', 'research@1']);
      const all = await store().runs.allPhaseVersions('acme', 'run_1');
      expect(all.map((version) => `${version.phase}@${version.version}`)).toEqual(['analysis@1', 'analysis@2', 'research@1']);
      expect(await store().runs.getPhase('other', 'run_1', 'analysis')).toBeUndefined();
      expect(await store().runs.currentPhases('other', 'run_1')).toEqual([]);
    });

    it('refuses phase writes to a finished run, an unknown phase or run', async () => {
      await store().tenants.create(makeTenant('acme'));
      await insertRun(store(), makeRun('acme', 'run_1'));
      await insertRun(store(), finishedRun('acme', 'done', 1, 2));
      await expectError(
        store().runs.appendPhase(appendCommand('acme', 'done', 'plan', 1, null)),
        'ConflictError',
        'run_finished',
      );
      await expectError(
        store().runs.appendPhase(appendCommand('acme', 'run_1', 'nope', 1, null)),
        'ValidationError',
        'phase_not_in_run',
      );
      await expectError(
        store().runs.appendPhase(appendCommand('acme', 'ghost', 'plan', 1, null)),
        'NotFoundError',
        'run_not_found',
      );
      await expectError(
        store().runs.appendPhase(appendCommand('other', 'run_1', 'plan', 1, null)),
        'NotFoundError',
        'run_not_found',
      );
      expect(await store().runs.allPhaseVersions('acme', 'done')).toEqual([]);
    });

    it('inserts an imported run with its phase versions, and deletes only finished runs', async () => {
      await store().tenants.create(makeTenant('acme'));
      const run = finishedRun('acme', 'imported', 1, 5);
      const versions = [1, 2].map((version) => ({
        ...appendCommand('acme', 'imported', 'plan', { step: version }, null),
        version,
      }));
      const phaseVersions = versions.map(({ expectedVersion: _expected, ...version }) => version);
      await insertRun(store(), run, { maxRunsPerTenant: 10 }, phaseVersions);
      expect(await store().runs.allPhaseVersions('acme', 'imported')).toEqual(phaseVersions);
      await insertRun(store(), makeRun('acme', 'live'));
      await expectError(store().runs.delete('acme', 'live'), 'ConflictError', 'run_running');
      expect(await store().runs.delete('other', 'imported')).toBe(false);
      expect(await store().runs.delete('acme', 'imported')).toBe(true);
      expect(await store().runs.delete('acme', 'imported')).toBe(false);
      expect(await store().runs.get('acme', 'imported')).toBeUndefined();
      expect(await store().runs.allPhaseVersions('acme', 'imported')).toEqual([]);
      expect(await store().runs.get('acme', 'live')).toBeDefined();
    });

    it('counts runs and sizes', async () => {
      await store().tenants.create(makeTenant('acme'));
      await insertRun(store(), makeRun('acme', 'a'));
      await insertRun(store(), finishedRun('acme', 'b', 1, 7));
      await insertRun(store(), finishedRun('acme', 'c', 1, 4));
      await store().runs.appendPhase({ ...appendCommand('acme', 'a', 'plan', 'x', null), sizeBytes: 10 });
      await store().runs.appendPhase({ ...appendCommand('acme', 'a', 'plan', 'y', 1), sizeBytes: 30 });
      await store().runs.appendPhase({ ...appendCommand('acme', 'a', 'analysis', 'z', null), sizeBytes: 5 });
      expect(await store().runs.stats('acme')).toEqual({
        runs: 3,
        byStatus: { running: 1, completed: 2, failed: 0, cancelled: 0 },
        phaseVersions: 3,
        dataBytes: 45,
        currentDataBytes: 35,
        largestRun: { runId: 'a', dataBytes: 35 },
        oldestFinishedAt: instant(4),
      });
      expect((await store().runs.stats('other')).runs).toBe(0);
    });
  });

  describeRunLimitsConformance(options);
  describeRunConcurrencyConformance(options);
}
