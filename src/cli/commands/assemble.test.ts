import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine.js';
import { collector } from '../../test-support/output-collector.js';
import { main } from '../main.js';

let directory: string;
let database: string;

async function run(args: string[]) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(['node', 'ctx', '--database', database, ...args], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(['']),
    env: {},
    stderrIsTTY: false,
    waitForShutdown: async () => {},
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ctx-assemble-cli-'));
  database = `sqlite:${join(directory, 'context.db')}`;
  const engine = await createEngine({ databaseUrl: database });
  await engine.tenants.create({ id: 'acme' });
  await engine.contexts.put('acme', 'product/overview', { name: 'Acme Books' });
  await engine.sessions.append('acme', 's1', [{ content: 'What do competitors charge for payroll?' }]);
  await engine.journeys.complete('acme', 'u1', 'M0', { keyDecisions: ['Small firms first'] });
  await engine.close();
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('ctx assemble', () => {
  it('prints the text and the manifest, or the HTTP answer with --json', async () => {
    const human = await run([
      'assemble',
      'acme',
      '--query',
      'payroll',
      '--user',
      'u1',
      '--session',
      's1',
      '--document',
      'product/overview',
    ]);
    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toContain('<document key="product/overview" version="1"');
    expect(human.stdout).toContain('Small firms first');
    expect(human.stdout).toMatch(/assembly asm_\S+: \d+ tokens \(session \d+, journey \d+, knowledge 0, documents \d+\)/);
    expect(human.stdout).toMatch(/LAYER\s+ID\s+VERSION\s+TOKENS/);

    const json = await run(['--json', 'assemble', 'acme', '--query', 'payroll', '--session', 's1', '--budget', '60']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as { tokens: { total: number }; manifest: unknown[]; assemblyId: string };
    expect(result.tokens.total).toBeLessThanOrEqual(60);
    expect(result.manifest).toHaveLength(1);
  });

  it('exits 2 on usage errors, 3 for an unknown tenant and 5 for invalid input', async () => {
    expect((await run(['assemble', 'acme'])).code).toBe(2);
    expect((await run(['assemble', 'acme', '--query', 'x', '--budget', '0'])).code).toBe(2);
    expect((await run(['assemble', 'nobody', '--query', 'x'])).code).toBe(3);
    const invalid = await run(['assemble', 'acme', '--query', 'x', '--document', 'bad key']);
    expect(invalid.code).toBe(5);
    expect(invalid.stderr).toMatch(/^ctx: Invalid assemble request: documents\.0: /);
  });
});
