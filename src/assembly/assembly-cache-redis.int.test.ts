import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { describeWithRedis } from '../cache/conformance/redis-test-gate.js';
import { createEngine, type Engine } from '../engine.js';

describeWithRedis('assembly cache shared through Redis (CTX_TEST_REDIS_URL)', (redisUrl) => {
  const engines: Engine[] = [];
  const directories: string[] = [];
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.close();
    for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
  });

  /** Two engines (two instances) on one SQLite file and one Redis; tenant ids unique to this run. */
  async function twoInstances() {
    const directory = mkdtempSync(join(tmpdir(), 'ctx-assembly-redis-'));
    directories.push(directory);
    const config = { databaseUrl: `sqlite:${join(directory, 'context.db')}`, redisUrl };
    const first = await createEngine(config);
    engines.push(first);
    const second = await createEngine(config);
    engines.push(second);
    const suffix = `${process.pid}${Date.now()}`;
    const tenants = { a: `a${suffix}`, b: `b${suffix}` };
    for (const id of Object.values(tenants)) await first.tenants.create({ id });
    for (const id of Object.values(tenants)) await first.sessions.append(id, 's1', [{ content: `pricing question for ${id}` }]);
    return { first, second, tenants };
  }

  it('serves an assembly made on one instance from the other, and misses after any instance writes an input', async () => {
    const { first, second, tenants } = await twoInstances();
    const request = { query: 'pricing', sessionId: 's1' };
    const made = await first.assembler.assemble(tenants.a, request);
    expect(made.cached).toBe(false);
    const shared = await second.assembler.assemble(tenants.a, request);
    expect(shared).toMatchObject({ cached: true, assemblyId: made.assemblyId, text: made.text });

    await first.sessions.append(tenants.a, 's1', [{ content: 'and the annual plan?' }]);
    const after = await second.assembler.assemble(tenants.a, request);
    expect(after.cached).toBe(false);
    expect(after.text).toContain('annual plan');
  });

  it('never serves one tenant the assembly of another', async () => {
    const { first, second, tenants } = await twoInstances();
    const request = { query: 'pricing', sessionId: 's1' };
    const forA = await first.assembler.assemble(tenants.a, request);
    const forB = await second.assembler.assemble(tenants.b, request);
    expect(forB.cached).toBe(false);
    expect(forB.assemblyId).not.toBe(forA.assemblyId);
    expect(forB.text).toContain(tenants.b);
    expect(forB.text).not.toContain(tenants.a);
  });
});
