import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine.js';
import { describePostgres } from '../store/sql/postgres/postgres-test-database.js';
import { expectLinearizedMerges } from './testing/expect-linearized.js';
import { runWorkerProcesses } from './testing/run-worker-processes.js';

describePostgres('runs on PostgreSQL: two engines (two pools) and two processes', (database) => {
  let first: Engine;
  let second: Engine;

  beforeAll(async () => {
    first = await createEngine({ databaseUrl: database.url });
    second = await createEngine({ databaseUrl: database.url });
    await first.tenants.create({ id: 'acme' });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('serialises merges from both engines into one version line and loses none', async () => {
    const { id } = await first.runs.create({ tenantId: 'acme', targetPath: '.', phases: ['shared', 'a', 'b'] });
    const perEngine = 25;
    await Promise.all(
      [first, second].flatMap((engine, engineIndex) =>
        Array.from({ length: perEngine }, (_, index) =>
          engine.runs
            .patchPhase('acme', id, 'shared', { [`e${engineIndex}-${index}`]: index })
            .then(() => engine.runs.writePhase('acme', id, engineIndex === 0 ? 'a' : 'b', { index })),
        ),
      ),
    );
    expect(await expectLinearizedMerges(second, 'acme', id, 'shared', 2 * perEngine)).toHaveLength(2 * perEngine);
    for (const phase of ['a', 'b']) {
      const history = await first.runs.phaseHistory('acme', id, phase, { limit: 500 });
      expect(history.items).toHaveLength(perEngine);
    }
  });

  it('lets two engines creating runs at the limit never exceed it, and never evict a running run', async () => {
    await first.tenants.create({ id: 'limited' });
    const limitedFirst = await createEngine({ databaseUrl: database.url, runs: { maxRunsPerTenant: 4 } });
    const limitedSecond = await createEngine({ databaseUrl: database.url, runs: { maxRunsPerTenant: 4 } });
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, index) =>
          (index % 2 === 0 ? limitedFirst : limitedSecond).runs.create({ tenantId: 'limited', targetPath: `p${index}` }),
        ),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(4);
      const refused = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      expect(refused.every((result) => (result.reason as { code?: string }).code === 'run_limit_reached')).toBe(true);
      const runs = (await first.runs.list('limited')).items;
      expect(runs.map((run) => run.status)).toEqual(['running', 'running', 'running', 'running']);
    } finally {
      await limitedFirst.close();
      await limitedSecond.close();
    }
  });

  it('loses nothing with writers in two separate processes', async () => {
    const { id } = await first.runs.create({ tenantId: 'acme', targetPath: '.', phases: ['shared', 'first', 'second'] });
    const count = 20;
    const common = { databaseUrl: database.url, tenantId: 'acme', runId: id, count, writers: 4, sharedPhase: 'shared' };
    const results = await runWorkerProcesses([
      { ...common, name: 'first', ownPhase: 'first' },
      { ...common, name: 'second', ownPhase: 'second' },
    ]);
    expect(results.map((result) => result.merges)).toEqual([count, count]);
    expect(await expectLinearizedMerges(first, 'acme', id, 'shared', 2 * count)).toHaveLength(2 * count);
  });
});
