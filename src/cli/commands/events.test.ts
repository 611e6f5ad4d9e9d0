import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collector } from '../../test-support/output-collector.js';
import { main } from '../main.js';

let directory: string;
let database: string;

async function run(args: string[], env: Record<string, string> = {}) {
  const stdout = collector();
  const stderr = collector();
  const code = await main(['node', 'ctx', '--database', database, ...args], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from(['']),
    env,
    stderrIsTTY: false,
    waitForShutdown: async () => {},
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ctx-cli-events-'));
  database = `sqlite:${join(directory, 'context.db')}`;
  expect((await run(['tenants', 'create', 'acme'])).code).toBe(0);
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('ctx send | resolve | resolve-batch | query | stats', () => {
  it('emits durably, then resolves and queries from another process run', async () => {
    const sent = await run([
      'send',
      'agent:status',
      '--tenant',
      'acme',
      '--data',
      '{"status":"active"}',
      '--agent',
      'my_agent',
      '--correlation-id',
      'corr_cli',
      '--json',
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    const { ref, context } = JSON.parse(sent.stdout) as { ref: string; context: { eventId: string } };
    expect(ref).toMatch(/^ctx_agent_my_agent_[0-9a-f]{24}$/);

    const child = await run(['send', 'agent:checked', '--parent', ref, '--json'], { CTX_TENANT: 'acme' });
    const childContext = (JSON.parse(child.stdout) as { context: { parentEventId: string; correlationId: string } }).context;
    expect(childContext).toMatchObject({ parentEventId: context.eventId, correlationId: 'corr_cli' });

    const resolved = await run(['resolve', ref, '--tenant', 'acme']);
    expect(resolved.code).toBe(0);
    expect(resolved.stdout).toContain(`ref          ${ref}`);
    expect(resolved.stdout).toContain('correlation  corr_cli');

    const unknown = `ctx_agent_my_agent_${'0'.repeat(24)}`;
    const batch = await run(['resolve-batch', ref, unknown, '--tenant', 'acme', '--json']);
    expect(batch.code).toBe(3);
    expect(JSON.parse(batch.stdout)).toMatchObject({ contexts: { [ref]: { eventId: context.eventId }, [unknown]: null } });

    const query = await run(['query', '--tenant', 'acme', '--correlation-id', 'corr_cli', '--json']);
    const items = (JSON.parse(query.stdout) as { items: { event: string }[] }).items;
    expect(items.map((item) => item.event)).toEqual(['agent:status', 'agent:checked']);
    const table = await run(['query', '--tenant', 'acme', '--correlation-id', 'corr_cli', '--limit', '1']);
    expect(table.stdout).toMatch(/agent:status[\s\S]*more: --cursor /);

    const stats = await run(['stats', '--tenant', 'acme', '--json']);
    expect(JSON.parse(stats.stdout)).toMatchObject({ tenantId: 'acme', cold: { events: 3 } }); // + tenant.created
  });

  it('exits with a meaningful code on bad input', async () => {
    expect((await run(['send', 'agent:status'])).code).toBe(2);
    expect((await run(['send', 'bad name', '--tenant', 'acme'])).code).toBe(5);
    expect((await run(['send', 'a.b', '--tenant', 'nobody'])).code).toBe(3);
    expect((await run(['send', 'a.b', '--tenant', 'acme', '--data', '{oops'])).code).toBe(2);
    expect((await run(['resolve', 'nope', '--tenant', 'acme'])).code).toBe(5);
    const missing = await run(['resolve', `ctx_a_b_${'0'.repeat(24)}`, '--tenant', 'acme']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^ctx: No context ctx_a_b_0+ in tenant "acme"\.\n$/);
  });

  it('checkpoint save writes the recent contexts; restore loads them into another database; recover re-emits a snapshot', async () => {
    const sent = await run(['send', 'agent:status', '--tenant', 'acme', '--json']);
    const { ref } = JSON.parse(sent.stdout) as { ref: string };
    const file = join(directory, 'events.checkpoint');
    const saved = await run(['checkpoint', 'save', '--path', file, '--json']);
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({ path: file, entries: 2 }); // tenant.created + agent:status

    const other = `sqlite:${join(directory, 'other.db')}`;
    const createOther = await main(['node', 'ctx', '--database', other, 'tenants', 'create', 'acme'], quietIo());
    expect(createOther).toBe(0);
    const restoreCode = await main(['node', 'ctx', '--database', other, 'checkpoint', 'restore', '--path', file], quietIo());
    expect(restoreCode).toBe(0);
    database = other;
    expect((await run(['resolve', ref, '--tenant', 'acme'])).code).toBe(0);

    writeFileSync(file, 'not a checkpoint\n');
    expect((await run(['checkpoint', 'restore', '--path', file])).code).toBe(5);
    expect((await run(['checkpoint', 'save'], {})).code).toBe(0); // default path beside the SQLite file

    const notSnapshot = await run(['recover', ref, '--tenant', 'acme']);
    expect(notSnapshot.code).toBe(5);
  });
});

function quietIo() {
  return {
    stdout: collector().stream,
    stderr: collector().stream,
    stdin: Readable.from(['']),
    env: {},
    stderrIsTTY: false,
    waitForShutdown: async () => {},
  };
}
