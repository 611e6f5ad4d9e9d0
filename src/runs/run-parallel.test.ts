import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine.js';
import { engineBackends } from '../test-support/engines.js';
import { expectLinearizedMerges } from './testing/expect-linearized.js';

for (const backend of engineBackends) {
  describe(`parallel phase writers (${backend.name})`, () => {
    let engine: Engine;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ engine, cleanup } = await backend.open());
      await engine.tenants.create({ id: 'acme' });
    });
    afterEach(() => cleanup());

    it('runs the research phase with two agents writing their phases at once, many times', async () => {
      const { id } = await engine.runs.create({ tenantId: 'acme', targetPath: '.' });
      const writers = engine.runs.evolution('acme', id);
      await Promise.all([
        (async () => {
          for (let index = 1; index <= 15; index += 1) {
            await writers.storeOriginalAnalysis(
              { filesAnalyzed: index, metrics: { complexity: index } },
              { author: 'code-analysis' },
            );
          }
        })(),
        (async () => {
          for (let index = 1; index <= 15; index += 1) {
            await writers.storeExternalResearch({ bestPractices: [`practice ${index}`] }, { author: 'research' });
          }
        })(),
      ]);
      const context = await engine.runs.get('acme', id);
      expect(context.phases.original_analysis).toMatchObject({
        version: 15,
        author: 'code-analysis',
        data: { filesAnalyzed: 15 },
      });
      expect(context.phases.external_research).toMatchObject({
        version: 15,
        author: 'research',
        data: { bestPractices: ['practice 15'] },
      });
    });

    it('loses no field when 40 agents merge into one phase at once; the history is one line', async () => {
      const { id } = await engine.runs.create({ tenantId: 'acme', targetPath: '.', phases: ['notes'] });
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, index) => engine.runs.patchPhase('acme', id, 'notes', { [`agent-${index}`]: index })),
      );
      expect(results.every((result) => result.created)).toBe(true);
      await expectLinearizedMerges(engine, 'acme', id, 'notes', 40);
    });

    it('keeps every one of 40 concurrent replacements as its own version', async () => {
      const { id } = await engine.runs.create({ tenantId: 'acme', targetPath: '.', phases: ['draft'] });
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, index) => engine.runs.writePhase('acme', id, 'draft', { text: `draft ${index}` })),
      );
      const versions = results.map((result) => result.version.version).sort((left, right) => left - right);
      expect(versions).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
      const history = await engine.runs.phaseHistory('acme', id, 'draft', { limit: 100 });
      expect(new Set(history.items.map((version) => JSON.stringify(version.data))).size).toBe(40);
    });
  });
}
