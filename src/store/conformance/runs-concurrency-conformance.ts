import { describe, expect, it } from 'vitest';
import type { PhaseVersion } from '../../core/run.js';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { collectPages, instant, isErrorWithCode, makeTenant } from './fixtures.js';
import { appendCommand, appendWithRetry, insertRun, makeRun, PHASES } from './run-fixtures.js';

function expectContiguous(versions: PhaseVersion[], count: number): void {
  expect(versions.map((version) => version.version)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
}

export function describeRunConcurrencyConformance(options: StoreConformanceOptions): void {
  describe('concurrent phase writers', () => {
    const store = useFreshStore(options);

    it('lets exactly one of 50 appends expecting the same phase version win', async () => {
      await store().tenants.create(makeTenant('acme'));
      await insertRun(store(), makeRun('acme', 'run_1'));
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, index) =>
          store().runs.appendPhase(appendCommand('acme', 'run_1', 'plan', { index }, null)),
        ),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results) {
        if (result.status === 'rejected') expect(isErrorWithCode(result.reason, 'phase_version_conflict')).toBe(true);
      }
      expectContiguous(await store().runs.allPhaseVersions('acme', 'run_1'), 1);
    });

    it('never lets writers of different phases of one run get in each other’s way', async () => {
      await store().tenants.create(makeTenant('acme'));
      await insertRun(store(), makeRun('acme', 'run_1'));
      const written = await Promise.all(
        PHASES.map((phase) => store().runs.appendPhase(appendCommand('acme', 'run_1', phase, { by: phase }, null))),
      );
      expect(written.map((version) => version.version)).toEqual([1, 1, 1]);
      const current = await store().runs.currentPhases('acme', 'run_1');
      expect(Object.fromEntries(current.map((version) => [version.phase, version.data]))).toEqual({
        analysis: { by: 'analysis' },
        research: { by: 'research' },
        plan: { by: 'plan' },
      });
    });

    it('loses no write when many writers retry on conflict, on one phase and on several', async () => {
      await store().tenants.create(makeTenant('acme'));
      await insertRun(store(), makeRun('acme', 'run_1'));
      const writers = 8;
      const writesEach = 5;
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let write = 0; write < writesEach; write += 1) {
            await appendWithRetry(store(), 'acme', 'run_1', 'plan', `${writer}:${write}`);
            await appendWithRetry(store(), 'acme', 'run_1', PHASES[writer % 2] as string, `${writer}:${write}`);
          }
        }),
      );
      const plan = await collectPages((cursor) => store().runs.listPhaseVersions('acme', 'run_1', 'plan', { cursor }));
      expectContiguous(plan, writers * writesEach);
      expect(new Set(plan.map((version) => version.data)).size).toBe(writers * writesEach);
      for (const phase of ['analysis', 'research']) {
        const history = await collectPages((cursor) => store().runs.listPhaseVersions('acme', 'run_1', phase, { cursor }));
        expectContiguous(history, (writers / 2) * writesEach);
      }
    });

    it('orders a status change and racing phase writes: every write lands before the run finishes, or is refused', async () => {
      await store().tenants.create(makeTenant('acme'));
      await insertRun(store(), makeRun('acme', 'run_1'));
      const appends = Array.from({ length: 30 }, (_, index) => appendWithRetry(store(), 'acme', 'run_1', 'plan', index));
      const finish = store().runs.update('acme', 'run_1', 1, {
        status: 'completed',
        finishedAt: instant(9),
        updatedAt: instant(9),
      });
      const results = await Promise.allSettled([...appends, finish]);
      const landed = results.slice(0, 30).filter((result) => result.status === 'fulfilled');
      for (const result of results.slice(0, 30)) {
        if (result.status === 'rejected') expect(isErrorWithCode(result.reason, 'run_finished')).toBe(true);
      }
      expect(results[30]?.status).toBe('fulfilled');
      expectContiguous(await store().runs.allPhaseVersions('acme', 'run_1'), landed.length);
      await expect(
        store().runs.appendPhase(appendCommand('acme', 'run_1', 'plan', 'late', landed.length || null)),
      ).rejects.toMatchObject({
        code: 'run_finished',
      });
    });
  });
}
