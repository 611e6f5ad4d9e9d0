import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import { collector } from '../test-support/output-collector.js';
import { main } from './main.js';

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

let directory: string;
let database: string;

async function run(
  args: string[],
  options: { stdin?: string; database?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const stdout = collector();
  const stderr = collector();
  const code = await main(['node', 'ctx', '--database', options.database ?? database, ...args], {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: Readable.from([options.stdin ?? '']),
    env: options.env ?? {},
    stderrIsTTY: false,
    waitForShutdown: async () => {},
  });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** Runs with --json and parses stdout; fails on an unexpected exit code. */
async function runJson<T = Record<string, unknown>>(
  args: string[],
  expectedCode = 0,
  options: { stdin?: string } = {},
): Promise<T> {
  const result = await run([...args, '--json'], options);
  expect(result, result.stderr).toMatchObject({ code: expectedCode });
  return JSON.parse(result.stdout) as T;
}

function expectOneLineError(result: RunResult, code: number, pattern: RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^ctx: [^\n]+\n$/);
  expect(result.stderr).toMatch(pattern);
}

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ctx-cli-'));
  database = `sqlite:${join(directory, 'context.db')}`;
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('ctx', () => {
  it('init-db applies the migrations once', async () => {
    const first = await runJson<{ applied: string[] }>(['init-db']);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(await runJson(['init-db'])).toMatchObject({ backend: 'sqlite', applied: [] });
    expect((await run(['init-db'])).stdout).toMatch(/up to date/);
    expect((await run(['init-db'], { database: 'memory:' })).stdout).toMatch(/memory: nothing to initialise/);
  });

  it('creates and lists tenants', async () => {
    const created = await runJson([
      'tenants',
      'create',
      'acme',
      '--name',
      'Acme',
      '--industry',
      'saas',
      '--company-size',
      '50-200',
    ]);
    expect(created).toMatchObject({ id: 'acme', name: 'Acme', facets: { industry: 'saas', companySize: '50-200' } });
    expect((await run(['tenants', 'create', 'beta'])).stdout).toBe('Created tenant beta\n');
    const listed = await runJson<{ items: { id: string }[] }>(['tenants', 'list']);
    expect(listed.items.map((tenant) => tenant.id)).toEqual(['acme', 'beta']);
    const table = (await run(['tenants', 'list'])).stdout;
    expect(table).toMatch(/^ID\s+NAME\s+INDUSTRY\s+SIZE\s+CREATED\n/);
    expect(table).toMatch(/acme\s+Acme\s+saas\s+50-200/);
    expectOneLineError(await run(['tenants', 'create', 'acme']), 4, /already exists/);
    expectOneLineError(await run(['tenants', 'create', 'Not Valid']), 5, /tenant/i);
  });

  it('puts, gets, lists history, diffs and rolls back', async () => {
    await run(['tenants', 'create', 'acme']);
    const first = await runJson(['put', 'acme', 'product/overview', '{"title":"Widget","tags":["a"]}', '--author', 'ann']);
    expect(first).toMatchObject({ key: 'product/overview', version: 1, status: 'applied' });
    expect(first.updateId).toMatch(/^upd_/);
    expect(first.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const file = join(directory, 'value.json');
    writeFileSync(file, JSON.stringify({ title: 'Widget 2', tags: ['a', 'b'] }));
    expect(
      (await run(['put', 'acme', 'product/overview', `@${file}`, '--source', 'analysis_agent', '--confidence', '0.9'])).stdout,
    ).toMatch(/^acme\/product\/overview: version 2 \(update upd_/);
    expect(
      await runJson(['put', 'acme', 'product/overview', '@-'], 0, { stdin: '{"title":"Widget 2","tags":["a","b"]}' }),
    ).toMatchObject({
      version: 2,
      status: 'applied',
    });

    expect(await runJson(['get', 'acme', 'product/overview'])).toMatchObject({
      version: 2,
      value: { title: 'Widget 2' },
      source: 'analysis_agent',
    });
    expect(await runJson(['get', 'acme', 'product/overview', '--version', '1'])).toMatchObject({
      version: 1,
      author: 'ann',
      parentVersion: null,
    });
    expect(await runJson(['get', 'acme', 'product/overview', '--as-of', new Date().toISOString()])).toMatchObject({ version: 2 });
    expect(JSON.parse((await run(['get', 'acme', 'product/overview'])).stdout)).toEqual({ title: 'Widget 2', tags: ['a', 'b'] });

    const history = await runJson<{ items: { version: number }[] }>(['history', 'acme', 'product/overview']);
    expect(history.items.map((version) => version.version)).toEqual([1, 2]);
    expect((await run(['history', 'acme', 'product/overview'])).stdout).toMatch(/^VERSION\s+CREATED\s+SOURCE/);

    const diff = await runJson<{ patch: unknown[] }>(['diff', 'acme', 'product/overview', '1', '2']);
    expect(diff).toMatchObject({ from: 1, to: 2 });
    expect(diff.patch).toContainEqual({ op: 'replace', path: '/title', value: 'Widget 2' });
    expect((await run(['diff', 'acme', 'product/overview', '1', '2'])).stdout).toMatch(/replace \/title "Widget 2"/);
    expect((await run(['diff', 'acme', 'product/overview', '2', '2'])).stdout).toMatch(/No differences/);

    expect(await runJson(['rollback', 'acme', 'product/overview', '1', '--author', 'bob'])).toMatchObject({
      version: 3,
      status: 'applied',
    });
    expect(await runJson(['get', 'acme', 'product/overview'])).toMatchObject({
      version: 3,
      value: { title: 'Widget' },
      author: 'bob',
    });

    const status = await runJson(['status', 'acme']);
    expect(status).toMatchObject({ documents: 1, versions: 3, pendingUpdates: 0 });
    expect((await run(['status', 'acme'])).stdout).toMatch(/documents\s+1\n/);
  });

  it('maps failures to exit codes with one-line errors', async () => {
    await run(['tenants', 'create', 'acme']);
    await run(['put', 'acme', 'k', '1']);
    expectOneLineError(await run(['get', 'acme', 'missing']), 3, /missing does not exist/);
    expectOneLineError(await run(['get', 'nobody', 'k']), 3, /Tenant "nobody" does not exist/);
    expectOneLineError(await run(['get', 'acme', 'k', '--version', '9']), 3, /Version 9/);
    expectOneLineError(await run(['put', 'acme', 'k', '{not json']), 2, /Invalid JSON/);
    expectOneLineError(await run(['put', 'acme', 'k', '@/no/such/file.json']), 2, /Cannot read/);
    expectOneLineError(await run(['put', 'acme', 'k', '2', '--if-match', '7']), 4, /version 1, not 7/);
    expectOneLineError(await run(['put', 'acme', 'bad//key', '2']), 5, /key: must be segments/);
    expectOneLineError(await run(['put', 'acme', 'k', '2', '--source', 'nope']), 2, /Allowed choices/);
    expectOneLineError(await run(['put', 'acme', 'k', '2', '--confidence', '7']), 2, /0 to 1/);
    expectOneLineError(await run(['get', 'acme', 'k', '--as-of', 'yesterday']), 2, /ISO-8601/);
    expectOneLineError(await run(['diff', 'acme', 'k', 'one', '2']), 2, /whole number/);
    expectOneLineError(
      await run(['get', 'acme', 'k', '--version', '1', '--as-of', '2025-01-01T00:00:00Z']),
      2,
      /cannot be used with/,
    );
    expectOneLineError(await run(['approve', 'upd_nothing', '--by', 'me']), 3, /does not exist/);
    expectOneLineError(await run(['approve', 'upd_nothing']), 2, /--by/);
    expectOneLineError(await run(['frobnicate']), 2, /unknown command/);
    expectOneLineError(await run(['status', 'acme', '--bogus']), 2, /unknown option/);
    expectOneLineError(await run(['status', 'acme'], { database: 'mysql://x' }), 2, /databaseUrl/);
    expect(await run(['put', 'acme', 'k', '2', '--if-match', '1'])).toMatchObject({ code: 0 });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: ctx/);
    expect((await run([])).code).toBe(2);
  });

  it('reviews: pending put exits 10, pending-approvals, approve and reject by update id', async () => {
    await run(['tenants', 'create', 'acme']);
    await run(['tenants', 'create', 'beta']);
    const pending = await runJson(['put', 'beta', 'faq', '{"q":"why"}', '--source', 'human_upload', '--author', 'carol'], 10);
    expect(pending).toMatchObject({ status: 'pending', flags: [] });
    const human = await run(['put', 'beta', 'faq', '"other"', '--source', 'agent_suggestion']);
    expect(human.code).toBe(10);
    expect(human.stdout).toMatch(/pending review as upd_/);
    await run(['put', 'acme', 'low', '1', '--confidence', '0.2']);

    const listed = await runJson<{ items: { id: string; tenantId: string }[] }>(['pending-approvals']);
    expect(listed.items.map((update) => update.tenantId).sort()).toEqual(['acme', 'beta', 'beta']);
    expect((await runJson<{ items: unknown[] }>(['pending-approvals', '--tenant', 'acme'])).items).toHaveLength(1);
    expect((await run(['pending-approvals'])).stdout).toMatch(/^ID\s+TENANT\s+KEY/);

    const approved = await runJson(['approve', String(pending.updateId), '--by', 'dave', '--note', 'fine']);
    expect(approved).toMatchObject({
      status: 'applied',
      update: { status: 'applied', reviewedBy: 'dave', reviewNote: 'fine' },
      version: { key: 'faq', version: 1 },
    });
    expect(await runJson(['get', 'beta', 'faq'])).toMatchObject({ value: { q: 'why' } });
    expect((await run(['approve', String(pending.updateId), '--by', 'dave'])).stdout).toMatch(/unchanged at version 1/);

    const other = listed.items.find((update) => update.id !== pending.updateId && update.tenantId === 'beta');
    expect(other).toBeDefined();
    const rejected = await runJson(['reject', other?.id ?? '', '--by', 'erin', '--reason', 'no', '--tenant', 'beta']);
    expect(rejected).toMatchObject({ status: 'rejected', update: { status: 'rejected', reason: 'no', reviewedBy: 'erin' } });
    expectOneLineError(await run(['approve', other?.id ?? '', '--by', 'dave']), 4, /rejected, not pending/);
    expectOneLineError(await run(['reject', other?.id ?? '', '--by', 'erin']), 2, /--reason/);
    expectOneLineError(await run(['approve', other?.id ?? '', '--by', 'dave', '--tenant', 'acme']), 3, /does not exist/);

    // A pending update whose base version moved ends conflicted when approved (the API's 409).
    await run(['put', 'acme', 'doc', '1']);
    const stale = await runJson(['put', 'acme', 'doc', '2', '--source', 'human_upload', '--if-match', '1'], 10);
    await run(['put', 'acme', 'doc', '3']);
    expectOneLineError(await run(['approve', String(stale.updateId), '--by', 'dave']), 4, /conflicted: the document moved/);
    expect(await runJson(['get', 'acme', 'doc'])).toMatchObject({ version: 2, value: 3 });
  });

  it('exports and imports a tenant through files and stdout, losslessly', async () => {
    await run(['tenants', 'create', 'acme', '--industry', 'saas']);
    await run(['put', 'acme', 'a', '{"v":1}']);
    await run(['put', 'acme', 'a', '{"v":2}']);
    await run(['rollback', 'acme', 'a', '1']);
    const pending = await runJson(['put', 'acme', 'b', '"x"', '--source', 'human_upload'], 10);
    await run(['reject', String(pending.updateId), '--by', 'erin', '--reason', 'no']);
    await run(['put', 'acme', 'c', '"pending"', '--source', 'human_upload']);
    const file = join(directory, 'acme.jsonl');
    const exported = await runJson(['export', 'acme', '-o', file]);
    expect(exported).toMatchObject({ tenantId: 'acme', versions: 3, updates: 5, file });
    expect(existsSync(`${file}.partial`)).toBe(false);

    const stdout = await run(['export', 'acme']);
    expect(stdout.code).toBe(0);
    const body = (text: string) => text.trimEnd().split('\n').slice(1, -1);
    expect(body(stdout.stdout)).toEqual(body(readFileSync(file, 'utf8')));

    const other = `sqlite:${join(directory, 'other.db')}`;
    const imported = await run(['import', file, '--tenant', 'acme2'], { database: other });
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toMatch(/Imported acme2 \(exported as acme\): 3 versions, 5 updates/);
    const again = await run(['export', 'acme2'], { database: other });
    expect(body(again.stdout)).toEqual(
      body(stdout.stdout).map((line) => line.replaceAll('"tenantId":"acme"', '"tenantId":"acme2"')),
    );
    expectOneLineError(await run(['import', file, '--tenant', 'acme2'], { database: other }), 4, /already exists/);
    expectOneLineError(await run(['import', join(directory, 'none.jsonl')]), 3, /Cannot read/);
    expectOneLineError(await run(['export', 'nobody']), 3, /does not exist/);
  });

  it('refuses a corrupted or truncated export and changes nothing', async () => {
    await run(['tenants', 'create', 'acme']);
    await run(['put', 'acme', 'a', '{"title":"hello world"}']);
    const file = join(directory, 'acme.jsonl');
    await run(['export', 'acme', '-o', file]);
    const text = readFileSync(file, 'utf8');
    const other = `sqlite:${join(directory, 'other.db')}`;

    const corrupted = join(directory, 'corrupted.jsonl');
    writeFileSync(corrupted, text.replace('hello world', 'hello World'));
    expectOneLineError(await run(['import', corrupted], { database: other }), 5, /does not match|corrupted/);
    const truncated = join(directory, 'truncated.jsonl');
    writeFileSync(truncated, text.slice(0, text.length - 40));
    expectOneLineError(await run(['import', truncated], { database: other }), 5, /truncated/);
    expect((await runJson<{ items: unknown[] }>(['tenants', 'list'].concat(['--database', other]))).items).toEqual([]);
  });

  it('creates API keys whose token verifies, lists and revokes them', async () => {
    await run(['tenants', 'create', 'acme']);
    const created = await runJson<{ id: string; token: string; role: string; tenantId: string }>([
      'keys',
      'create',
      '--tenant',
      'acme',
      '--role',
      'writer',
      '--name',
      'ci',
    ]);
    expect(created).toMatchObject({ tenantId: 'acme', role: 'writer', name: 'ci' });
    expect(created).not.toHaveProperty('secretHash');
    const human = await run(['keys', 'create', '--tenant', '*', '--role', 'admin']);
    const token = human.stdout.trim().split('\n').at(-1) ?? '';
    expect(token).toMatch(/^ctx_key_/);

    const engine = await createEngine({ databaseUrl: database });
    try {
      expect(await engine.apiKeys.verify(created.token)).toMatchObject({ id: created.id, role: 'writer', tenantId: 'acme' });
      expect(await engine.apiKeys.verify(token)).toMatchObject({ role: 'admin', tenantId: null });
    } finally {
      await engine.close();
    }

    const listed = await runJson<{ items: { id: string }[] }>(['keys', 'list']);
    expect(listed.items).toHaveLength(2);
    expect(JSON.stringify(listed)).not.toMatch(/secretHash/);
    expect((await runJson<{ items: unknown[] }>(['keys', 'list', '--tenant', 'acme'])).items).toHaveLength(1);
    expect((await run(['keys', 'list'])).stdout).toMatch(/^ID\s+TENANT\s+ROLE\s+NAME/);
    expect(await runJson(['keys', 'revoke', created.id])).toEqual({ id: created.id, revoked: true });
    expectOneLineError(await run(['keys', 'revoke', created.id]), 3, /does not exist/);
    expectOneLineError(await run(['keys', 'create', '--tenant', '*', '--role', 'reader']), 5, /admin/);
    expectOneLineError(await run(['keys', 'create', '--tenant', 'acme', '--role', 'king']), 2, /Allowed choices/);
    expectOneLineError(await run(['keys', 'create', '--tenant', 'nobody', '--role', 'reader']), 3, /does not exist/);
  });

  it.skipIf(!existsSync(join(import.meta.dirname, '../server/start-server.ts')))(
    'serve starts the server and stops on shutdown',
    async () => {
      const result = await run(['serve', '--port', '0', '--host', '127.0.0.1', '--json'], { env: { CTX_LOG_LEVEL: 'silent' } });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      const body = JSON.parse(result.stdout) as { url: string; database: string };
      expect(body).toMatchObject({ database });
      expect(body.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expectOneLineError(await run(['serve', '--port', '70000']), 2, /port/);
    },
  );

  it.skipIf(!existsSync(join(import.meta.dirname, '../../dist/cli/main.js')))(
    'runs as a real process through bin/ctx.js',
    async () => {
      const bin = join(import.meta.dirname, '../../bin/ctx.js');
      const exec = promisify(execFile);
      const created = await exec(process.execPath, [bin, '--database', database, 'tenants', 'create', 'acme', '--json'], {
        env: {},
      });
      expect(JSON.parse(created.stdout)).toMatchObject({ id: 'acme' });
      const failed = await exec(process.execPath, [bin, '--database', database, 'get', 'acme', 'nothing'], { env: {} }).catch(
        (error: { code: number; stderr: string; stdout: string }) => error,
      );
      expect(failed).toMatchObject({ code: 3, stdout: '' });
      expect((failed as { stderr: string }).stderr).toMatch(/^ctx: nothing does not exist\n$/);
    },
  );
});
