import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine.js';
import { type RunningServer, startServer } from './start-server.js';

/** Real HTTP over a listening socket, on a real SQLite file. */
let dir: string;
let engine: Engine;
let server: RunningServer;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ctx-http-'));
  engine = await createEngine({ databaseUrl: `sqlite:${join(dir, 'x.db')}`, server: { logLevel: 'silent' } });
  token = (await engine.apiKeys.create({ tenantId: null, role: 'admin' })).token;
  server = await startServer(engine, { host: '127.0.0.1', port: 0, rateLimit: { max: 100_000, windowMs: 60_000 } });
});
afterAll(async () => {
  await server?.close();
  await engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

describe('over HTTP on SQLite', () => {
  it('serves the happy path', async () => {
    expect((await call('POST', '/v1/tenants', { id: 'acme' })).status).toBe(201);
    const put = await call('PUT', '/v1/tenants/acme/contexts/product/overview', { value: { name: 'Widget' } });
    expect(put.status).toBe(201);
    expect(put.headers.get('etag')).toBe('"1"');
    const patch = await call('PATCH', '/v1/tenants/acme/contexts/product/overview?author=ann', '{"price":3}', {
      'content-type': 'application/merge-patch+json',
      'if-match': '"1"',
    });
    expect(patch.status).toBe(201);
    const read = await call('GET', '/v1/tenants/acme/contexts/product/overview');
    expect(read.headers.get('etag')).toBe('"2"');
    expect(await read.json()).toMatchObject({ value: { name: 'Widget', price: 3 }, author: 'ann' });
    const missing = await call('GET', '/v1/tenants/acme/contexts/nothing');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const unauthorized = await fetch(`${server.url}/v1/tenants`);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('50 parallel PUTs with the same If-Match: exactly one wins, 49 get 412, history stays linear', async () => {
    await call('POST', '/v1/tenants', { id: 'race' });
    expect((await call('PUT', '/v1/tenants/race/contexts/doc', { value: 0 })).status).toBe(201);
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        call('PUT', '/v1/tenants/race/contexts/doc', { value: index + 1 }, { 'if-match': '"1"' }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status >= 200 && status < 300)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(49);
    const history = (await (await call('GET', '/v1/tenants/race/contexts/doc/versions')).json()) as {
      items: { version: number; parentVersion: number | null }[];
    };
    expect(history.items.map((item) => item.version)).toEqual([1, 2]);
    expect(history.items.map((item) => item.parentVersion)).toEqual([null, 1]);
  });

  it('approve and reject racing over HTTP end in exactly one terminal state', async () => {
    await call('POST', '/v1/tenants', { id: 'review' });
    for (let round = 0; round < 10; round++) {
      const proposed = await call('POST', '/v1/tenants/review/updates', {
        key: `doc-${round}`,
        op: 'put',
        value: round,
        source: 'human_upload',
      });
      expect(proposed.status).toBe(202);
      const id = ((await proposed.json()) as { update: { id: string } }).update.id;
      const base = `/v1/tenants/review/updates/${id}`;
      const [approve, reject] = await Promise.all([
        call('POST', `${base}/approve`, { by: 'a' }),
        call('POST', `${base}/reject`, { by: 'r', reason: 'no' }),
      ]);
      const statuses = [approve.status, reject.status].sort();
      expect(statuses).toEqual([200, 409]);
      const update = (await (await call('GET', base)).json()) as { status: string };
      expect(update.status).toBe(approve.status === 200 ? 'applied' : 'rejected');
      const document = await call('GET', `/v1/tenants/review/contexts/doc-${round}`);
      expect(document.status).toBe(update.status === 'applied' ? 200 : 404);
    }
  });

  it('runs open on loopback without keys and refuses foreign Host headers', async () => {
    const openDir = mkdtempSync(join(tmpdir(), 'ctx-open-'));
    const openEngine = await createEngine({ databaseUrl: `sqlite:${join(openDir, 'open.db')}`, server: { logLevel: 'silent' } });
    const open = await startServer(openEngine, { host: '127.0.0.1', port: 0 });
    try {
      expect((await fetch(`${open.url}/v1/tenants`)).status).toBe(200);
      const status = await new Promise<number>((resolve, reject) => {
        const request = httpRequest(`${open.url}/v1/tenants`, { headers: { host: 'rebind.example' } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
        request.end();
      });
      expect(status).toBe(403);
      const cors = await fetch(`${open.url}/v1/tenants`, { headers: { origin: 'https://evil.example' } });
      expect(cors.status).toBe(403);
    } finally {
      await open.close();
      await openEngine.close();
      rmSync(openDir, { recursive: true, force: true });
    }
  });
});
