import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine.js';
import { expectLinearizedMerges } from './testing/expect-linearized.js';
import { runWorkerProcesses } from './testing/run-worker-processes.js';

describe('phase writers in two processes on one SQLite file', () => {
  let directory: string;
  let databaseUrl: string;
  let engine: Engine;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'ctx-runs-processes-'));
    databaseUrl = `sqlite:${join(directory, 'context.db')}`;
    engine = await createEngine({ databaseUrl });
    await engine.tenants.create({ id: 'acme' });
  });
  afterEach(async () => {
    await engine.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('loses nothing: every merge lands on a single version line, every replacement is kept', async () => {
    const { id } = await engine.runs.create({ tenantId: 'acme', targetPath: '.', phases: ['shared', 'first', 'second'] });
    const count = 30;
    const common = { databaseUrl, tenantId: 'acme', runId: id, count, writers: 3, sharedPhase: 'shared' };
    const results = await runWorkerProcesses([
      { ...common, name: 'first', ownPhase: 'first' },
      { ...common, name: 'second', ownPhase: 'second' },
    ]);
    expect(results).toEqual([
      { name: 'first', merges: count, replacements: count },
      { name: 'second', merges: count, replacements: count },
    ]);
    const keys = await expectLinearizedMerges(engine, 'acme', id, 'shared', 2 * count);
    expect(keys).toHaveLength(2 * count);
    for (const phase of ['first', 'second']) {
      const history = await engine.runs.phaseHistory('acme', id, phase, { limit: 500 });
      expect(history.items.map((version) => version.version)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
    }
  });
});
