import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collector } from '../../test-support/output-collector.js';
import { main } from '../main.js';

let directory: string;
let database: string;

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
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ctx-knowledge-cli-'));
  database = `sqlite:${join(directory, 'context.db')}`;
  expect((await run(['tenants', 'create', 'acme'])).code).toBe(0);
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('ctx knowledge', () => {
  it('adds from --text, JSON, JSON Lines, plain text and stdin, then searches', async () => {
    writeFileSync(
      join(directory, 'items.json'),
      JSON.stringify({ items: [{ id: 'tiers', text: 'Pricing tiers: starter and growth.' }] }),
    );
    writeFileSync(
      join(directory, 'more.jsonl'),
      '{"id":"eu","text":"EU suppliers","metadata":{"region":"eu"}}\n{"id":"us","text":"US suppliers","metadata":{"region":"us"}}\n',
    );
    writeFileSync(join(directory, 'handbook.md'), '# Handbook\n\nRefunds are processed within five days.');
    const text = await run([
      'knowledge',
      'add',
      'acme',
      '--text',
      'Churn benchmark is 5% monthly',
      '--id',
      'churn',
      '--metadata',
      '{"source":"report"}',
    ]);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout).toMatch(/^added 1 item \(1 chunks, \d+ tokens\); generation 1\n$/);
    const files = await run([
      'knowledge',
      'add',
      'acme',
      join(directory, 'items.json'),
      join(directory, 'more.jsonl'),
      join(directory, 'handbook.md'),
      '--json',
    ]);
    expect(files.code).toBe(0);
    expect(JSON.parse(files.stdout).items.map((item: { id: string }) => item.id)).toEqual(['tiers', 'eu', 'us', 'handbook.md']);
    expect((await run(['knowledge', 'add', 'acme', '-'], '[{"id":"stdin","text":"from standard input"}]')).code).toBe(0);

    const found = await run(['knowledge', 'search', 'acme', 'suppliers', '--filter', '{"region":"eu"}', '--json']);
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).results).toEqual([expect.objectContaining({ id: 'eu', metadata: { region: 'eu' } })]);
    const human = await run(['knowledge', 'search', 'acme', 'refunds processed', '--mode', 'lexical', '--top-k', '1']);
    expect(human.stdout).toMatch(/^\d\.\d{3} {2}handbook\.md#0 {2}# Handbook Refunds are processed within five days\.\n$/);
    expect((await run(['knowledge', 'search', 'acme', 'zzzz', '--mode', 'lexical'])).stdout).toBe('No results.\n');

    expect((await run(['knowledge', 'remove', 'acme', 'eu'])).stdout).toMatch(/^removed eu \(1 chunks\); generation 4\n$/);
    const missing = await run(['knowledge', 'remove', 'acme', 'eu']);
    expect(missing).toMatchObject({ code: 3, stdout: '' });
    expect(missing.stderr).toMatch(/^ctx: Knowledge item "eu" does not exist\.\n$/);
  });

  it('exits with usage and validation codes on bad input, writing nothing', async () => {
    writeFileSync(join(directory, 'bad.json'), '{not json');
    writeFileSync(join(directory, 'empty.json'), '[{"text":"fine"},{"text":""}]');
    expect((await run(['knowledge', 'add', 'acme'])).code).toBe(2);
    writeFileSync(join(directory, 'fine.json'), '[{"text":"fine"}]');
    const stray = await run(['knowledge', 'add', 'acme', join(directory, 'fine.json'), '--created-at', '2026-01-01T00:00:00Z']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toMatch(/--created-at describe the --text item/);
    expect((await run(['knowledge', 'add', 'acme', join(directory, 'bad.json')])).code).toBe(2);
    expect((await run(['knowledge', 'add', 'acme', join(directory, 'missing.json')])).code).toBe(2);
    const invalid = await run(['knowledge', 'add', 'acme', join(directory, 'empty.json')]);
    expect(invalid.code).toBe(5);
    expect(invalid.stderr).toMatch(/knowledge item 1: text: must not be empty/);
    expect((await run(['knowledge', 'search', 'acme', 'x', '--mode', 'fuzzy'])).code).toBe(2);
    expect((await run(['knowledge', 'search', 'acme', 'x', '--threshold', '2'])).code).toBe(2);
    expect((await run(['knowledge', 'search', 'acme', 'x', '--filter', '{"p":{"gt":"soon"}}'])).code).toBe(5);
    expect((await run(['knowledge', 'add', 'nobody', '--text', 'x'])).code).toBe(3);
    const all = await run(['knowledge', 'search', 'acme', 'fine', '--json']);
    expect(JSON.parse(all.stdout)).toEqual({ results: [] });
  });
});
