import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../main.js';

let directory: string;
let database: string;

function collector(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(Buffer.from(chunk));
      callback();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

async function run(args: string[], stdin = '') {
  const stdout = collector();
  const stderr = collector();
  const code = await main(['node', 'ctx', '--database', database, ...args], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([stdin]),
    env: {},
    stderrIsTTY: false,
    waitForShutdown: async () => {},
  });
  return { code, stdout: stdout.bytes().toString('utf8'), raw: stdout.bytes(), stderr: stderr.bytes().toString('utf8') };
}

async function json<T = Record<string, unknown>>(args: string[], stdin = ''): Promise<T> {
  const result = await run([...args, '--json'], stdin);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ctx-cli-runs-'));
  database = `sqlite:${join(directory, 'context.db')}`;
  expect((await run(['tenants', 'create', 'acme'])).code).toBe(0);
  expect((await run(['tenants', 'create', 'copy'])).code).toBe(0);
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('ctx runs', () => {
  it('creates, writes phases, shows, compares, finishes, exports and imports a run', async () => {
    const created = await run(['runs', 'create', 'acme', '--target', './my-project', '--focus', 'documentation,complexity']);
    expect(created.code).toBe(0);
    const id = created.stdout.trim();
    expect(id).toMatch(/^run_/);
    const phase = ['runs', 'phase', 'acme', id];
    expect(
      (await json([...phase, 'original_analysis', '{"filesAnalyzed":10,"metrics":{"complexity":3.5}}', '--author', 'analysis']))
        .status,
    ).toBe('created');
    expect((await json([...phase, 'improvement_plan', '@-', '--merge'], '{"tasks":[{"id":"task-1"}]}')).version).toBe(1);
    expect((await json([...phase, 'improvement_plan', '{"estimatedImpact":0.7}', '--merge'])).data).toMatchObject({
      tasks: [{ id: 'task-1' }],
      estimatedImpact: 0.7,
    });
    await json([...phase, 'original_analysis', '{"filesAnalyzed":10,"metrics":{"complexity":2}}']);
    const stale = await run([...phase, 'original_analysis', '{}', '--if-version', '1']);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toMatch(/^ctx: Phase "original_analysis" is at version 2, not at version 1/);
    const bad = await run([...phase, 'original_analysis', '{"filesAnalyzed":-3}']);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toMatch(/filesAnalyzed/);
    expect((await run([...phase, 'original_analysis', '--version', '1'])).stdout).toContain('"complexity": 3.5');
    expect((await json([...phase, 'original_analysis', '--history'])).items).toHaveLength(2);
    await json(['runs', 'set-phase', 'acme', id, 'implementation_log']);
    await json(['runs', 'log-error', 'acme', id, 'planner timed out', '--agent', 'planner']);
    const shown = await run(['runs', 'show', 'acme', id]);
    expect(shown.stdout).toMatch(/\* implementation_log/);
    expect(shown.stdout).toContain('planner timed out');
    expect((await json(['runs', 'compare', 'acme', id])).delta).toEqual({ complexity: -1.5 });
    expect((await run(['runs', 'compare', 'acme', id])).stdout).toContain('complexity: -1.5');
    expect((await json(['runs', 'status', 'acme', id, 'completed'])).status).toBe('completed');
    expect((await run(['runs', 'status', 'acme', id, 'paused'])).code).toBe(2);

    const file = join(directory, 'run.json.gz');
    expect((await json(['runs', 'export', 'acme', id, '-o', file])).file).toBe(file);
    expect(JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')).run.id).toBe(id);
    const toStdout = await run(['runs', 'export', 'acme', id, '--no-compression']);
    expect(JSON.parse(toStdout.stdout).format).toBe('context-engine/run-export');
    expect((await json(['runs', 'import', 'copy', file])).id).toBe(id);
    expect((await run(['runs', 'import', 'copy', file])).code).toBe(4);
    const broken = join(directory, 'broken.json.gz');
    writeFileSync(broken, readFileSync(file).subarray(0, 40));
    const refused = await run(['runs', 'import', 'acme', broken, '--new-id']);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/truncated|corrupted/);
    expect((await run(['runs', 'import', 'acme', join(directory, 'missing.gz')])).code).toBe(3);
    const listed = await json<{ items: { id: string }[] }>(['runs', 'list', 'copy']);
    expect(listed.items.map((item) => item.id)).toEqual([id]);
    expect((await json(['runs', 'stats', 'acme'])).runs).toBe(1);
    expect((await json(['runs', 'purge'])).removed).toEqual([]);
    expect((await json(['runs', 'delete', 'copy', id])).deleted).toBe(id);
  });

  it('exits with meaningful codes on bad input', async () => {
    expect((await run(['runs', 'create', 'acme'])).code).toBe(2);
    expect((await run(['runs', 'create', 'ghost', '--target', '.'])).code).toBe(3);
    expect((await run(['runs', 'show', 'acme', 'run_missing'])).code).toBe(3);
    expect((await run(['runs', 'create', 'acme', '--target', '.', '--template', 'missing'])).code).toBe(5);
    const live = (await run(['runs', 'create', 'acme', '--target', '.'])).stdout.trim();
    expect((await run(['runs', 'delete', 'acme', live])).code).toBe(4);
    expect((await run(['runs', 'phase', 'acme', live, 'original_analysis', '{not json'])).code).toBe(2);
  });
});
