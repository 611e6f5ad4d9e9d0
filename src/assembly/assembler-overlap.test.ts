import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../engine.js';
import { engineBackends } from '../test-support/engines.js';

const request = {
  query: 'payroll pricing',
  userId: 'u1',
  sessionId: 's1',
  knowledge: { threshold: 0, mode: 'lexical' as const },
};

const later = <T>(ms: number, settle: () => T | Promise<T>) =>
  new Promise<T>((resolve, reject) => setTimeout(() => Promise.resolve().then(settle).then(resolve, reject), ms));

for (const backend of engineBackends) {
  describe(`assembler reads on ${backend.name}`, () => {
    let engine: Engine;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      ({ engine, cleanup } = await backend.open());
      await engine.tenants.create({ id: 'acme' });
      await engine.sessions.append('acme', 's1', [{ role: 'user', content: 'How should we price payroll?' }]);
      await engine.journeys.complete('acme', 'u1', 'M0', { keyDecisions: ['Small firms first'] });
    });
    afterEach(async () => {
      vi.restoreAllMocks();
      await cleanup();
    });

    /** Records the order in which the assembler calls the knowledge search and the session and journey reads. */
    function watchCalls(): string[] {
      const calls: string[] = [];
      const search = engine.knowledge.search.bind(engine.knowledge);
      const get = engine.sessions.get.bind(engine.sessions);
      const state = engine.journeys.state.bind(engine.journeys);
      const logged =
        <A extends unknown[], R>(name: string, call: (...args: A) => R) =>
        (...args: A): R => {
          calls.push(name);
          return call(...args);
        };
      vi.spyOn(engine.knowledge, 'search').mockImplementation(logged('knowledge', search));
      vi.spyOn(engine.sessions, 'get').mockImplementation(logged('session', get));
      vi.spyOn(engine.journeys, 'state').mockImplementation(logged('journey', state));
      return calls;
    }

    it('starts the knowledge search before the session and journey reads, with the same result', async () => {
      await engine.knowledge.add('acme', [{ id: 'bench', text: 'Payroll pricing benchmarks.' }]);
      const calls = watchCalls();
      const result = await engine.assembler.assemble('acme', request);
      expect(calls).toEqual(['knowledge', 'session', 'journey']);
      expect(result.manifest.map((entry) => [entry.layer, entry.included])).toEqual([
        ['journey', true],
        ['knowledge', true],
        ['session', true],
      ]);
    });

    it('does not search a tenant that never had knowledge (generation 0)', async () => {
      const calls = watchCalls();
      const result = await engine.assembler.assemble('acme', request);
      expect(calls).toEqual(['session', 'journey']);
      expect(result.manifest.map((entry) => entry.layer)).toEqual(['journey', 'session']);
    });

    it("raises a failed read's error before the search's, and leaves no rejection unhandled", async () => {
      await engine.knowledge.add('acme', [{ id: 'bench', text: 'Payroll pricing benchmarks.' }]);
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      // Plain replacements, not vi mocks: a mock observes the promises it returns, which would handle the rejection.
      const { knowledge, sessions } = engine;
      const search = knowledge.search;
      const get = sessions.get;
      try {
        knowledge.search = () => Promise.reject(new Error('search failed'));
        sessions.get = () => later(20, () => Promise.reject(new Error('session read failed')));
        await expect(engine.assembler.assemble('acme', request)).rejects.toThrow('session read failed');
        sessions.get = get;
        await expect(engine.assembler.assemble('acme', request)).rejects.toThrow('search failed');
        await later(20, () => undefined);
        expect(unhandled).toEqual([]);
      } finally {
        knowledge.search = search;
        sessions.get = get;
        process.off('unhandledRejection', onUnhandled);
      }
    });
  });
}
