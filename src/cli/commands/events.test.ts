import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine.js';
import { collector } from '../../test-support/output-collector.js';
import { main } from '../main.js';
import { statsText } from './events.js';

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

/** The events of one name in the database, through `ctx query`. */
async function eventsNamed(name: string) {
  const query = await run(['query', '--tenant', 'acme', '--event', name, '--json']);
  expect(query.code, query.stderr).toBe(0);
  return (JSON.parse(query.stdout) as { items: { ref: string; context: Record<string, unknown> }[] }).items;
}

/** Makes every write to the cold tier fail (a real SQLite error, from a trigger), until the returned function runs. */
function failColdWrites(): () => void {
  const connection = new Database(database.slice('sqlite:'.length));
  connection.exec(
    "CREATE TRIGGER fail_event_contexts BEFORE INSERT ON event_contexts BEGIN SELECT RAISE(ABORT, 'cold tier refused'); END",
  );
  return () => {
    connection.exec('DROP TRIGGER fail_event_contexts');
    connection.close();
  };
}

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

    const missing = await run(['checkpoint', 'restore', '--path', join(directory, 'nowhere.checkpoint')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/No checkpoint file at/);
    writeFileSync(file, 'not a checkpoint\n');
    expect((await run(['checkpoint', 'restore', '--path', file])).code).toBe(5);
    expect((await run(['checkpoint', 'save'], {})).code).toBe(0); // default path beside the SQLite file

    const notSnapshot = await run(['recover', ref, '--tenant', 'acme']);
    expect(notSnapshot.code).toBe(5);
  });
});

describe('ctx send --durability', () => {
  it('refuses an unknown mode in one line, exit 2, and emits nothing', async () => {
    const bad = await run(['send', 'a.b', '--tenant', 'acme', '--durability', 'sometimes']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^ctx: option '--durability <mode>' argument 'sometimes' is invalid\. Allowed choices are acknowledged, buffered\.\n$/,
    );
    expect(bad.stdout).toBe('');
    expect(await eventsNamed('a.b')).toEqual([]);
  });

  it('stores a buffered event when the command closes the database; both modes resolve later', async () => {
    for (const durability of ['buffered', 'acknowledged']) {
      const sent = await run(['send', `sent.${durability}`, '--tenant', 'acme', '--durability', durability]);
      expect(sent.code, sent.stderr).toBe(0);
      expect((await run(['resolve', sent.stdout.trim(), '--tenant', 'acme'])).code).toBe(0);
      expect((await eventsNamed(`sent.${durability}`)).map((item) => item.ref)).toEqual([sent.stdout.trim()]);
    }
  });

  it('acknowledged waits for the database write (exit 6 when it fails); buffered returns before it', async () => {
    const restore = failColdWrites();
    try {
      const acknowledged = await run(['send', 'a.b', '--tenant', 'acme']);
      expect(acknowledged.code).toBe(6);
      expect(acknowledged.stderr).toBe('ctx: The event could not be stored durably; retry later.\n');
      const buffered = await run(['send', 'a.b', '--tenant', 'acme', '--durability', 'buffered']);
      expect(buffered.code, buffered.stderr).toBe(0);
      expect(buffered.stdout).toMatch(/^ctx_a_system_[0-9a-f]{24}\n$/);
    } finally {
      restore();
    }
    // the buffered event was in this process only: its deferred write failed with the trigger in place
    expect(await eventsNamed('a.b')).toEqual([]);
  });
});

describe('ctx stats', () => {
  it('prints counts, bytes, resolutions and hit rates as text', async () => {
    expect((await run(['send', 'agent:status', '--tenant', 'acme'])).code).toBe(0);
    const json = JSON.parse((await run(['stats', '--tenant', 'acme', '--json'])).stdout) as { cold: { bytes: number } };
    expect(json.cold.bytes).toBeGreaterThan(200);
    const text = await run(['stats', '--tenant', 'acme']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe(
      [
        'tenant        acme',
        'cold events   2', // tenant.created + agent:status
        `cold bytes    ${json.cold.bytes}`,
        'hot events    0 (this process)',
        'hot bytes     0 (this process)',
        'emitted       0, deduplicated 0 (ratio 1)',
        'resolutions   0: hot 0, cold 0, missing 0 (this process)',
        'hit rates     hot 0.0%, cold 0.0%, missing 0.0%',
        '',
      ].join('\n'),
    );
  });

  it('formats the hit rates and hot bytes of a process that resolved references', async () => {
    const engine = await createEngine({ databaseUrl: database });
    try {
      const emitted = await engine.events.emit('agent:status', null, { tenantId: 'acme' }, { durability: 'acknowledged' });
      for (let index = 0; index < 3; index += 1) await engine.events.resolve('acme', emitted.ref);
      await expect(engine.events.resolve('acme', `ctx_agent_system_${'0'.repeat(24)}`)).rejects.toThrow(/No context/);
      const stats = await engine.events.stats('acme');
      expect(stats.hot.bytes).toBeGreaterThan(0);
      const lines = statsText(stats).split('\n');
      expect(lines).toContain(`hot bytes     ${stats.hot.bytes} (this process)`);
      expect(lines).toContain('resolutions   4: hot 3, cold 0, missing 1 (this process)');
      expect(lines).toContain('hit rates     hot 75.0%, cold 0.0%, missing 25.0%');
      expect(lines).toContain(`cold bytes    ${stats.cold.bytes}`);
    } finally {
      await engine.close();
    }
  });
});

describe('ctx recover', () => {
  it('prints a snapshot’s state and re-emits it as <kind>:recovered, unless --no-reemit', async () => {
    const engine = await createEngine({ databaseUrl: database });
    const state = { step: 3, pending: ['review', 'publish'], owner: 'dana' };
    const snapshot = await engine.events.snapshot('orchestration', state, { tenantId: 'acme', sessionId: 'session_1' });
    await engine.close();

    const recovered = await run(['recover', snapshot.ref, '--tenant', 'acme']);
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(JSON.parse(recovered.stdout)).toEqual(state);
    const reemitted = await eventsNamed('orchestration:recovered');
    expect(reemitted).toHaveLength(1);
    expect(reemitted[0]?.context).toMatchObject({
      parentEventId: snapshot.eventId,
      rootEventId: snapshot.eventId,
      depth: 1,
      sessionId: 'session_1',
      custom: { snapshot: 'orchestration', recoveredFrom: snapshot.ref },
    });

    const quiet = await run(['recover', snapshot.ref, '--no-reemit', '--json'], { CTX_TENANT: 'acme' });
    expect(quiet.code, quiet.stderr).toBe(0);
    const answer = JSON.parse(quiet.stdout) as Record<string, unknown>;
    expect(answer).toMatchObject({ ref: snapshot.ref, kind: 'orchestration', state });
    expect(answer.recovered).toBeUndefined();
    expect(await eventsNamed('orchestration:recovered')).toHaveLength(1);

    const json = await run(['recover', snapshot.ref, '--tenant', 'acme', '--json']);
    const { recovered: second } = JSON.parse(json.stdout) as { recovered: { ref: string } };
    expect((await eventsNamed('orchestration:recovered')).map((item) => item.ref)).toContain(second.ref);
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
