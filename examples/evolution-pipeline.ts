/**
 * A five-phase evolution pipeline (seed 001) on the library: agents share one run context instead of passing JSON
 * to each other. The research phase runs two agents in parallel; the planner reads what both found; the evaluator
 * reads the three-way comparison. Then the run is exported, imported into another tenant, and compared.
 *
 *   npm run build && npx tsc -p examples && node examples/dist/evolution-pipeline.js
 *
 * CTX_DATABASE_URL picks the database (default: a fresh SQLite file in a temporary directory).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from 'context-engine';

const directory = mkdtempSync(join(tmpdir(), 'evolution-pipeline-'));
const databaseUrl = process.env.CTX_DATABASE_URL ?? `sqlite:${join(directory, 'context.db')}`;
const tenantId = `evolution-${Date.now().toString(36)}`;

/** CodeAnalysisAgent: measures the project before anything changes. */
async function codeAnalysisAgent(engine: Engine, runId: string) {
  await engine.runs.evolution(tenantId, runId).storeOriginalAnalysis(
    {
      filesAnalyzed: 10,
      metrics: { complexity: 3.5, coverage: 75, docstrings: 12 },
      issues: [{ type: 'code_smell', location: 'planner.py:42' }],
      improvements: [{ type: 'docstring', priority: 'high' }],
    },
    { author: 'code-analysis-agent' },
  );
}

/** ResearchAgent: best practices, in parallel with the analysis. */
async function researchAgent(engine: Engine, runId: string) {
  await engine.runs.evolution(tenantId, runId).storeExternalResearch(
    {
      bestPractices: ['Use type hints', 'Add docstrings'],
      references: [{ url: 'https://peps.python.org/pep-0257/', title: 'PEP 257' }],
      patterns: [{ name: 'Factory', applicability: 0.8 }],
    },
    { author: 'research-agent' },
  );
}

async function main() {
  const engine = await createEngine({ databaseUrl });
  engine.bus.on('run.phase_written', ({ phase, version }) =>
    console.log(`  event: ${phase} v${version.version} by ${version.author}`),
  );
  try {
    await engine.tenants.create({ id: tenantId });
    const run = await engine.runs.create({ tenantId, targetPath: './my-project', focusAreas: ['documentation', 'complexity'] });
    console.log(`run ${run.id}: phases ${run.phaseNames.join(' → ')}`);

    // Phase 1: research — two agents at once, each writing its own phase.
    await engine.runs.updatePhase(tenantId, run.id, 'external_research');
    await Promise.all([codeAnalysisAgent(engine, run.id), researchAgent(engine, run.id)]);

    // Phase 2: planning — the planner reads both results from the shared context.
    await engine.runs.updatePhase(tenantId, run.id, 'improvement_plan');
    const context = await engine.runs.get(tenantId, run.id);
    const analysis = context.phases.original_analysis?.data as { improvements: { type: string }[] } | undefined;
    const research = context.phases.external_research?.data as { bestPractices: string[] } | undefined;
    const improvements = analysis?.improvements ?? [];
    const practices = research?.bestPractices ?? [];
    await engine.runs.evolution(tenantId, run.id).storeImprovementPlan(
      {
        tasks: improvements.map((improvement, index) => ({
          id: `task-${index + 1}`,
          title: `${improvement.type}: ${practices.join(', ')}`,
        })),
        priorities: ['task-1'],
        dependencies: {},
        estimatedImpact: 0.7,
      },
      { author: 'planner-agent' },
    );

    // Phase 3: implementation — the refactor agent logs what it did; a transient failure goes to the error log.
    await engine.runs.updatePhase(tenantId, run.id, 'implementation_log');
    await engine.runs.logError(tenantId, run.id, { message: 'LLM call timed out; retried', agent: 'refactor-agent' });
    await engine.runs.evolution(tenantId, run.id).storeImplementationLog(
      {
        modifiedFiles: ['agent.py', 'planner.py'],
        changes: [{ file: 'agent.py', type: 'docstring_added' }],
        rollbackPoints: [{ id: 'checkpoint-1', timestamp: new Date().toISOString() }],
      },
      { author: 'refactor-agent' },
    );
    // A re-analysis after the implementation: a second version of original_analysis is the "after" state.
    await engine.runs.patchPhase(
      tenantId,
      run.id,
      'original_analysis',
      { metrics: { complexity: 2.9, coverage: 78, docstrings: 30 } },
      { author: 'code-analysis-agent' },
    );

    // Phase 4: evaluation — three-way comparison, then the results.
    await engine.runs.updatePhase(tenantId, run.id, 'evaluation_results');
    const comparison = await engine.runs.getComparisonData(tenantId, run.id);
    console.log('comparison delta:', comparison.delta);
    await engine.runs.evolution(tenantId, run.id).storeEvaluationResults(
      {
        goalsAchieved: ['documentation'],
        metricsComparison: {
          before: (comparison.before as { metrics: Record<string, number> }).metrics,
          after: (comparison.after as { metrics: Record<string, number> }).metrics,
          delta: comparison.delta,
        },
        successRate: 0.85,
      },
      { author: 'evaluator-agent' },
    );
    await engine.runs.setStatus(tenantId, run.id, 'completed');

    // Export (gzip, checksummed), import into another tenant, and check the copy.
    const file = await engine.runs.exportRun(tenantId, run.id);
    const path = join(directory, `${run.id}.run.json.gz`);
    writeFileSync(path, file);
    console.log(`exported ${file.length} bytes to ${path}`);
    await engine.tenants.create({ id: `${tenantId}-copy` });
    const copy = await engine.runs.importRun(`${tenantId}-copy`, file);
    const copied = await engine.runs.getComparisonData(`${tenantId}-copy`, copy.id);
    console.log(
      `imported ${copy.id} (${copy.status}); same delta: ${JSON.stringify(copied.delta) === JSON.stringify(comparison.delta)}`,
    );
    const stats = await engine.runs.stats(tenantId);
    console.log(`stats: ${stats.runs} run, ${stats.phaseVersions} phase versions, ${stats.dataBytes} bytes of phase data`);
  } finally {
    await engine.close();
    if (process.env.CTX_DATABASE_URL === undefined) rmSync(directory, { recursive: true, force: true });
  }
}

await main();
