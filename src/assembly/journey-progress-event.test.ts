import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEventMap } from '../core/engine-events.js';
import type { Engine } from '../engine.js';
import { engineBackends } from '../test-support/engines.js';

type Progress = EngineEventMap['milestone.progress'];

for (const backend of engineBackends) {
  describe(`milestone.progress on ${backend.name}`, () => {
    let engine: Engine;
    let cleanup: () => Promise<void>;
    let events: Array<[string, string]>;
    let progress: Progress[];
    beforeEach(async () => {
      ({ engine, cleanup } = await backend.open());
      await engine.tenants.create({ id: 'acme' });
      events = [];
      progress = [];
      engine.bus.on('milestone.completed', ({ milestone }) => void events.push(['completed', milestone]));
      engine.bus.on('milestone.progress', (payload) => {
        events.push(['progress', payload.milestone]);
        progress.push(payload);
      });
    });
    afterEach(() => cleanup());

    it("carries the completed milestone's progress (100) and the journey's completed / total / percent", async () => {
      await engine.journeys.complete('acme', 'u1', 'M0', { data: { idea: 'payroll' } });
      expect(progress).toEqual([
        { tenantId: 'acme', userId: 'u1', milestone: 'M0', progress: 100, completed: 1, total: 10, percent: 10 },
      ]);
      expect(events).toEqual([
        ['completed', 'M0'],
        ['progress', 'M0'],
      ]);
      expect(await engine.journeys.getJourney('acme', 'u1')).toMatchObject({ completed: 1, total: 10, percent: 10 });
    });

    it('counts up over several completions, not again for a re-completion, per user', async () => {
      await engine.journeys.putGraph('acme', {
        milestones: [{ id: 'A' }, { id: 'B', dependsOn: ['A'] }, { id: 'C', dependsOn: ['A'] }],
      });
      await engine.journeys.complete('acme', 'u1', 'A');
      await engine.journeys.complete('acme', 'u1', 'B');
      await engine.journeys.complete('acme', 'u1', 'A', { keyDecisions: ['Revised'] });
      await engine.journeys.complete('acme', 'u2', 'A');
      await engine.journeys.complete('acme', 'u1', 'C');
      const figures = (user: string) =>
        progress
          .filter((event) => event.userId === user)
          .map(({ milestone, progress: done, completed, total, percent }) => ({ milestone, done, completed, total, percent }));
      expect(figures('u1')).toEqual([
        { milestone: 'A', done: 100, completed: 1, total: 3, percent: 33 },
        { milestone: 'B', done: 100, completed: 2, total: 3, percent: 67 },
        // Completing A again replaces its data: the journey does not advance.
        { milestone: 'A', done: 100, completed: 2, total: 3, percent: 67 },
        { milestone: 'C', done: 100, completed: 3, total: 3, percent: 100 },
      ]);
      expect(figures('u2')).toEqual([{ milestone: 'A', done: 100, completed: 1, total: 3, percent: 33 }]);
      expect(await engine.journeys.getJourney('acme', 'u1')).toMatchObject({ completed: 3, total: 3, percent: 100 });
    });

    it('emits nothing for a completion that is refused', async () => {
      await expect(engine.journeys.complete('acme', 'u1', 'M1')).rejects.toMatchObject({
        code: 'milestone_dependencies_incomplete',
      });
      await expect(engine.journeys.complete('acme', 'u1', 'nope')).rejects.toMatchObject({ code: 'milestone_not_found' });
      expect(events).toEqual([]);
    });
  });
}
