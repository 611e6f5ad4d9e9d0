import { describe, expect, it } from 'vitest';
import type { Milestone } from '../../core/journey.js';
import type { MilestoneCompletionDraft } from '../journey-store.js';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { expectError, instant, makeTenant } from './fixtures.js';

const GRAPH: Milestone[] = [
  { id: 'M0', name: 'Idea', dependsOn: [] },
  { id: 'M1', name: 'Market', dependsOn: ['M0'] },
];

function completion(milestone: string, at = instant(1), data = { note: milestone }): MilestoneCompletionDraft {
  return {
    milestone,
    data,
    keyDecisions: [`decided ${milestone}`],
    tokens: { o200k_base: 12, cl100k_base: 13 },
    completedAt: at,
  };
}

/** Milestone graphs (versions, compare-and-set) and completions (dependencies, revisions, generations). */
export function describeJourneyConformance(options: StoreConformanceOptions): void {
  describe('journeys', () => {
    const store = useFreshStore(options);
    const setup = async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().tenants.create(makeTenant('globex'));
      return store().journeys;
    };

    it('stores a graph per tenant with a growing version, compare-and-set on the version', async () => {
      const journeys = await setup();
      expect(await journeys.getGraph('acme')).toBeUndefined();
      const first = await journeys.putGraph('acme', GRAPH, instant(1), 0);
      expect(first).toEqual({ tenantId: 'acme', milestones: GRAPH, version: 1, updatedAt: instant(1) });
      expect(await journeys.getGraph('acme')).toEqual(first);
      expect(await journeys.getGraph('globex')).toBeUndefined();
      const second = await journeys.putGraph('acme', GRAPH.slice(0, 1), instant(2));
      expect(second.version).toBe(2);
      const error = await expectError(
        journeys.putGraph('acme', GRAPH, instant(3), 1),
        'ConflictError',
        'journey_version_conflict',
      );
      expect(error.details).toEqual({ expectedVersion: 1, currentVersion: 2 });
      expect((await journeys.getGraph('acme'))?.milestones).toEqual(GRAPH.slice(0, 1));
    });

    it('records completions whose dependencies are done, and refuses the others without writing', async () => {
      const journeys = await setup();
      const error = await expectError(
        journeys.complete('acme', 'u1', completion('M1'), ['M0']),
        'ConflictError',
        'milestone_dependencies_incomplete',
      );
      expect(error.details).toEqual({ milestone: 'M1', missing: ['M0'] });
      expect(await journeys.listCompletions('acme', 'u1')).toEqual({ completions: [], generation: 0 });
      const m0 = await journeys.complete('acme', 'u1', completion('M0'), []);
      expect(m0).toEqual({
        completion: { ...completion('M0'), tenantId: 'acme', userId: 'u1', revision: 1 },
        generation: 1,
      });
      await journeys.complete('acme', 'u1', completion('M1', instant(2)), ['M0']);
      const listed = await journeys.listCompletions('acme', 'u1');
      expect(listed.generation).toBe(2);
      expect(listed.completions.map((entry) => [entry.milestone, entry.revision, entry.keyDecisions])).toEqual([
        ['M0', 1, ['decided M0']],
        ['M1', 1, ['decided M1']],
      ]);
    });

    it('reports the generation and graph version alone, as listCompletions and getGraph report them', async () => {
      const journeys = await setup();
      expect(await journeys.generations('acme', 'u1')).toEqual({ generation: 0, graphVersion: 0 });
      await journeys.complete('acme', 'u1', completion('M0'), []);
      await journeys.complete('acme', 'u1', completion('M1'), ['M0']);
      await journeys.putGraph('acme', GRAPH, instant(3));
      expect(await journeys.generations('acme', 'u1')).toEqual({
        generation: (await journeys.listCompletions('acme', 'u1')).generation,
        graphVersion: (await journeys.getGraph('acme'))?.version,
      });
      expect(await journeys.generations('acme', 'u1')).toEqual({ generation: 2, graphVersion: 1 });
      expect(await journeys.generations('acme', 'u2')).toEqual({ generation: 0, graphVersion: 1 });
      expect(await journeys.generations('globex', 'u1')).toEqual({ generation: 0, graphVersion: 0 });
    });

    it('replaces a milestone completed again (revision + 1, moved to the end)', async () => {
      const journeys = await setup();
      await journeys.complete('acme', 'u1', completion('M0'), []);
      await journeys.complete('acme', 'u1', completion('M1'), []);
      const again = await journeys.complete('acme', 'u1', completion('M0', instant(5), { note: 'revised' }), []);
      expect(again.completion.revision).toBe(2);
      const listed = await journeys.listCompletions('acme', 'u1');
      expect(listed.completions.map((entry) => [entry.milestone, entry.revision, entry.data])).toEqual([
        ['M1', 1, { note: 'M1' }],
        ['M0', 2, { note: 'revised' }],
      ]);
      expect(listed.generation).toBe(3);
    });

    it('keeps users and tenants apart', async () => {
      const journeys = await setup();
      await journeys.complete('acme', 'u1', completion('M0'), []);
      expect((await journeys.listCompletions('acme', 'u2')).completions).toEqual([]);
      expect((await journeys.listCompletions('globex', 'u1')).completions).toEqual([]);
      await expectError(
        journeys.complete('globex', 'u1', completion('M1'), ['M0']),
        'ConflictError',
        'milestone_dependencies_incomplete',
      );
      await expectError(journeys.complete('nobody', 'u1', completion('M0'), []), 'NotFoundError', 'tenant_not_found');
      await expectError(journeys.putGraph('nobody', GRAPH, instant(1)), 'NotFoundError', 'tenant_not_found');
    });

    it('loses no completion when many run at once', async () => {
      const journeys = await setup();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, index) => journeys.complete('acme', 'u1', completion('M0', instant(index)), [])),
      );
      expect(results.map((result) => result.completion.revision).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 12 }, (_, index) => index + 1),
      );
      expect(new Set(results.map((result) => result.generation)).size).toBe(12);
      const listed = await journeys.listCompletions('acme', 'u1');
      expect(listed.generation).toBe(12);
      expect(listed.completions[0]?.revision).toBe(12);
    });
  });
}
