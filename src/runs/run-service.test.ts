import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { EngineEventName } from '../core/engine-events.js';
import type { Engine } from '../engine.js';
import { engineBackends } from '../test-support/engines.js';
import { EVOLUTION_PHASES } from './evolution-template.js';

for (const backend of engineBackends) {
  describe(`runs service (${backend.name})`, () => {
    let engine: Engine;
    let cleanup: () => Promise<void>;
    const events: EngineEventName[] = [];

    beforeEach(async () => {
      ({ engine, cleanup } = await backend.open());
      events.length = 0;
      engine.bus.onAny((name) => void events.push(name));
      await engine.tenants.create({ id: 'acme' });
    });
    afterEach(() => cleanup());

    it('creates a run of the five seed phases and reads it back with its phases', async () => {
      const run = await engine.runs.create({ tenantId: 'acme', targetPath: './my-project', focusAreas: ['documentation'] });
      expect(run).toMatchObject({
        tenantId: 'acme',
        template: 'evolution',
        phaseNames: [...EVOLUTION_PHASES],
        status: 'running',
        currentPhase: null,
        errorLog: [],
        revision: 1,
      });
      expect(run.id).toMatch(/^run_/);
      const context = await engine.runs.get('acme', run.id);
      expect(context.phases).toEqual(Object.fromEntries(EVOLUTION_PHASES.map((phase) => [phase, null])));
      expect(events).toContain('run.created');
    });

    it('writes the seed phases through validated writers and keeps every version', async () => {
      const { id } = await engine.runs.create({ tenantId: 'acme', targetPath: '.', focusAreas: [] });
      const writers = engine.runs.evolution('acme', id);
      const first = await writers.storeOriginalAnalysis(
        { filesAnalyzed: 10, metrics: { complexity: 3.5, coverage: 75 }, issues: [{ type: 'code_smell', location: 'file:42' }] },
        { author: 'code-analysis-agent' },
      );
      expect(first).toMatchObject({
        created: true,
        version: { version: 1, author: 'code-analysis-agent', phase: 'original_analysis' },
      });
      // Defaults complete the data; the same data again makes no version.
      expect(first.version.data).toMatchObject({ improvements: [] });
      const again = await writers.storeOriginalAnalysis({
        filesAnalyzed: 10,
        metrics: { complexity: 3.5, coverage: 75 },
        issues: [{ type: 'code_smell', location: 'file:42' }],
      });
      expect(again.created).toBe(false);
      await writers.storeOriginalAnalysis({ filesAnalyzed: 12, metrics: { complexity: 3 } });
      const history = await engine.runs.phaseHistory('acme', id, 'original_analysis');
      expect(history.items.map((version) => version.version)).toEqual([1, 2]);
      expect((await engine.runs.getPhase('acme', id, 'original_analysis', { version: 1 })).data).toMatchObject({
        filesAnalyzed: 10,
      });
      expect((await engine.runs.get('acme', id)).phases.original_analysis?.version).toBe(2);
      expect(events.filter((name) => name === 'run.phase_written')).toHaveLength(2);
    });

    it('refuses bad phase data with a precise error and writes nothing', async () => {
      const { id } = await engine.runs.create({ tenantId: 'acme', targetPath: '.' });
      await expect(engine.runs.writePhase('acme', id, 'original_analysis', { filesAnalyzed: -1 })).rejects.toMatchObject({
        code: 'invalid_phase_data',
        message: expect.stringContaining('filesAnalyzed'),
      });
      await expect(
        engine.runs.writePhase('acme', id, 'external_research', { patterns: [{ name: 'x', applicability: 2 }] }),
      ).rejects.toMatchObject({
        code: 'invalid_phase_data',
      });
      await expect(engine.runs.writePhase('acme', id, 'nope', {})).rejects.toMatchObject({ code: 'phase_not_in_run' });
      await expect(engine.runs.writePhase('acme', id, 'Bad Phase', {})).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(engine.runs.writePhase('acme', id, 'improvement_plan', { tasks: [{ id: 'a\u0000' }] })).rejects.toMatchObject({
        code: 'nul_character',
      });
      const big = { tasks: [{ id: 'x'.repeat(engine.config.limits.maxValueBytes) }] };
      await expect(engine.runs.writePhase('acme', id, 'improvement_plan', big)).rejects.toMatchObject({
        code: 'invalid_phase_data',
      });
      await expect(engine.runs.writePhase('acme', 'run_missing', 'improvement_plan', {})).rejects.toMatchObject({
        code: 'run_not_found',
      });
      await expect(engine.runs.writePhase('ghost', id, 'improvement_plan', {})).rejects.toMatchObject({
        code: 'tenant_not_found',
      });
      expect(Object.values((await engine.runs.get('acme', id)).phases).every((phase) => phase === null)).toBe(true);
      expect(events.filter((name) => name === 'run.phase_written')).toHaveLength(0);
    });

    it('checks an expected phase version as a strict precondition', async () => {
      const { id } = await engine.runs.create({ tenantId: 'acme', targetPath: '.', phases: ['notes'] });
      await engine.runs.writePhase('acme', id, 'notes', 'one', { expectedVersion: null });
      await expect(engine.runs.writePhase('acme', id, 'notes', 'two', { expectedVersion: null })).rejects.toMatchObject({
        name: 'PreconditionFailedError',
        code: 'phase_version_mismatch',
        details: { expectedVersion: null, currentVersion: 1 },
      });
      const second = await engine.runs.writePhase('acme', id, 'notes', 'two', { expectedVersion: 1 });
      expect(second.version.version).toBe(2);
      expect((await engine.runs.getPhase('acme', id, 'notes')).data).toBe('two');
    });

    it('moves through phases and statuses, logs errors, and refuses changes once finished', async () => {
      const { id } = await engine.runs.create({ tenantId: 'acme', targetPath: '.' });
      const inPlan = await engine.runs.updatePhase('acme', id, 'improvement_plan');
      expect(inPlan).toMatchObject({ currentPhase: 'improvement_plan', revision: 2 });
      expect((await engine.runs.updatePhase('acme', id, 'improvement_plan')).revision).toBe(2);
      await expect(engine.runs.updatePhase('acme', id, 'unknown_phase')).rejects.toMatchObject({ code: 'phase_not_in_run' });
      const logged = await engine.runs.logError('acme', id, {
        message: 'Bedrock timed out',
        phase: 'improvement_plan',
        agent: 'planner',
      });
      expect(logged.errorLog).toEqual([
        { at: expect.any(String), message: 'Bedrock timed out', phase: 'improvement_plan', agent: 'planner' },
      ]);
      const failed = await engine.runs.setStatus('acme', id, 'failed');
      expect(failed).toMatchObject({ status: 'failed', finishedAt: expect.any(String) });
      expect((await engine.runs.setStatus('acme', id, 'failed')).revision).toBe(failed.revision);
      await expect(engine.runs.setStatus('acme', id, 'completed')).rejects.toMatchObject({ code: 'run_finished' });
      await expect(engine.runs.writePhase('acme', id, 'improvement_plan', {})).rejects.toMatchObject({ code: 'run_finished' });
      await expect(engine.runs.logError('acme', id, { message: 'late' })).rejects.toMatchObject({ code: 'run_finished' });
      await expect(engine.runs.setStatus('acme', id, 'paused' as never)).rejects.toMatchObject({ code: 'validation_failed' });
      expect(events).toEqual(
        expect.arrayContaining(['run.created', 'run.phase_changed', 'run.error_logged', 'run.status_changed']),
      );
      expect(events.filter((name) => name === 'run.status_changed')).toHaveLength(1);
    });

    it('supports ad-hoc phases and registered templates with their own schemas', async () => {
      const adHoc = await engine.runs.create({ tenantId: 'acme', targetPath: '.', phases: ['collect', 'summarise'] });
      expect(adHoc).toMatchObject({ template: null, phaseNames: ['collect', 'summarise'] });
      await engine.runs.writePhase('acme', adHoc.id, 'collect', [1, 2, 3]);
      engine.runs.registerTemplate({
        name: 'review',
        phases: [
          { name: 'draft', schema: z.object({ text: z.string().min(1) }) },
          { name: 'verdict', schema: z.object({ approved: z.boolean() }) },
        ],
      });
      const review = await engine.runs.create({ tenantId: 'acme', targetPath: 'doc.md', template: 'review' });
      await engine.runs.writePhase('acme', review.id, 'draft', { text: 'hello' });
      await expect(engine.runs.writePhase('acme', review.id, 'verdict', { approved: 'yes' })).rejects.toMatchObject({
        code: 'invalid_phase_data',
      });
      const subset = await engine.runs.create({
        tenantId: 'acme',
        targetPath: '.',
        template: 'evolution',
        phases: ['improvement_plan', 'original_analysis'],
      });
      expect(subset.phaseNames).toEqual(['original_analysis', 'improvement_plan']);
      await expect(engine.runs.create({ tenantId: 'acme', targetPath: '.', template: 'missing' })).rejects.toMatchObject({
        code: 'unknown_template',
      });
      await expect(
        engine.runs.create({ tenantId: 'acme', targetPath: '.', template: 'review', phases: ['x'] }),
      ).rejects.toMatchObject({
        code: 'phase_not_in_template',
      });
      expect(() => engine.runs.registerTemplate({ name: 'bad', phases: [{ name: 'a' }, { name: 'a' }] })).toThrow(
        /appears twice/,
      );
      await expect(engine.runs.create({ tenantId: 'acme', targetPath: '' })).rejects.toMatchObject({ code: 'validation_failed' });
      await expect(engine.runs.create({ tenantId: 'acme', targetPath: '.', phases: ['a', 'a'] })).rejects.toMatchObject({
        code: 'validation_failed',
      });
      await expect(engine.runs.create({ tenantId: 'ghost', targetPath: '.' })).rejects.toMatchObject({
        code: 'tenant_not_found',
      });
    });

    it('lists runs by status and creation time, with cursors, per tenant', async () => {
      await engine.tenants.create({ id: 'globex' });
      const ids: string[] = [];
      for (let index = 0; index < 5; index += 1)
        ids.push((await engine.runs.create({ tenantId: 'acme', targetPath: `p${index}` })).id);
      await engine.runs.create({ tenantId: 'globex', targetPath: 'other' });
      await engine.runs.setStatus('acme', ids[1] as string, 'completed');
      const page = await engine.runs.list('acme', { limit: 3 });
      expect(page.items.map((run) => run.id)).toEqual(ids.slice(0, 3));
      const next = await engine.runs.list('acme', { limit: 3, cursor: page.nextCursor });
      expect(next.items.map((run) => run.id)).toEqual(ids.slice(3));
      expect((await engine.runs.list('acme', { status: 'completed' })).items.map((run) => run.id)).toEqual([ids[1]]);
      expect((await engine.runs.list('acme', { since: '2999-01-01T00:00:00Z' })).items).toEqual([]);
      await expect(engine.runs.get('globex', ids[0] as string)).rejects.toMatchObject({ code: 'run_not_found' });
      await expect(engine.runs.list('acme', { status: 'bogus' as never })).rejects.toMatchObject({ code: 'validation_failed' });
    });

    it('gives the three-way comparison with a numeric metric delta', async () => {
      const { id } = await engine.runs.create({ tenantId: 'acme', targetPath: '.' });
      const writers = engine.runs.evolution('acme', id);
      expect(await engine.runs.getComparisonData('acme', id)).toMatchObject({ before: null, after: null, delta: {} });
      await writers.storeOriginalAnalysis({
        filesAnalyzed: 10,
        metrics: { complexity: 3.5, coverage: { lines: 70.1 }, grade: 'B' },
      });
      await writers.storeImprovementPlan({ tasks: [{ id: 'task-1' }], estimatedImpact: 0.7 });
      await writers.storeImplementationLog({ modifiedFiles: ['agent.py'] });
      const halfway = await engine.runs.getComparisonData('acme', id);
      expect(halfway).toMatchObject({ before: { filesAnalyzed: 10 }, after: null, plan: { estimatedImpact: 0.7 }, delta: {} });
      await writers.storeOriginalAnalysis({
        filesAnalyzed: 10,
        metrics: { complexity: 2.5, coverage: { lines: 75.2 }, grade: 'A', new: 1 },
      });
      const comparison = await engine.runs.getComparisonData('acme', id);
      expect(comparison.delta).toEqual({ complexity: -1, 'coverage.lines': 5.1 });
      expect(comparison.sources).toEqual({
        before: { phase: 'original_analysis', version: 1 },
        after: { phase: 'original_analysis', version: 2 },
        plan: { phase: 'improvement_plan', version: 1 },
        implementation: { phase: 'implementation_log', version: 1 },
      });
      expect(comparison.implementation).toMatchObject({ modifiedFiles: ['agent.py'] });
    });

    it('reports sizes and limits', async () => {
      const { id } = await engine.runs.create({ tenantId: 'acme', targetPath: '.', phases: ['a'] });
      await engine.runs.writePhase('acme', id, 'a', { text: 'hello' });
      const stats = await engine.runs.stats('acme');
      expect(stats).toMatchObject({
        runs: 1,
        byStatus: { running: 1 },
        phaseVersions: 1,
        dataBytes: '{"text":"hello"}'.length,
        largestRun: { runId: id },
        limits: { maxRunsPerTenant: 1000, ttlSeconds: 86400, compression: true },
      });
    });
  });
}
