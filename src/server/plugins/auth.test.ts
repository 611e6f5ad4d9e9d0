import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../../engine.js';
import { startServer } from '../start-server.js';
import { createServerHarness, type ServerHarness } from '../testing/server-harness.js';

let h: ServerHarness;
afterEach(() => h?.close());

const T = '/v1/tenants/acme';

describe('API keys and roles', () => {
  it('401 with WWW-Authenticate without a key or with a bad one, once keys exist', async () => {
    h = await createServerHarness();
    await h.engine.tenants.create({ id: 'acme' });
    await h.key('admin', null);
    for (const token of [undefined, 'ctx_key_abc_wrong', `ctx_key_0000_${'a'.repeat(43)}`]) {
      const response = await h.call('GET', `${T}/contexts`, { token });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const basic = await h.call('GET', `${T}/contexts`, { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(basic.statusCode).toBe(401);
    expect((await h.call('GET', '/health')).statusCode).toBe(200);
  });

  it('enforces roles: reader, writer, approver, tenant admin, global admin', async () => {
    h = await createServerHarness();
    await h.engine.tenants.create({ id: 'acme' });
    const reader = await h.key('reader', 'acme');
    const writer = await h.key('writer', 'acme');
    const approver = await h.key('approver', 'acme');
    const tenantAdmin = await h.key('admin', 'acme');
    const pending = await h.engine.contexts.put('acme', 'p', 1, { source: 'human_upload' });
    const approve = (token: string) => h.call('POST', `${T}/updates/${pending.update.id}/approve`, { token, body: { by: 'x' } });

    expect((await h.call('GET', `${T}/contexts`, { token: reader })).statusCode).toBe(200);
    expect((await h.call('GET', `${T}/updates`, { token: reader })).statusCode).toBe(200);
    const readerWrite = await h.call('PUT', `${T}/contexts/k`, { token: reader, body: { value: 1 } });
    expect(readerWrite.statusCode).toBe(403);
    expect(readerWrite.json().code).toBe('insufficient_role');
    expect((await approve(reader)).statusCode).toBe(403);
    expect((await h.call('GET', '/v1/updates', { token: reader })).statusCode).toBe(403);

    expect((await h.call('PUT', `${T}/contexts/k`, { token: writer, body: { value: 1 } })).statusCode).toBe(201);
    expect((await h.call('POST', `${T}/updates`, { token: writer, body: { key: 'k', op: 'delete' } })).statusCode).toBe(201);
    expect((await approve(writer)).statusCode).toBe(403);
    expect((await h.call('PUT', `${T}/policy`, { token: writer, body: {} })).statusCode).toBe(403);

    expect((await h.call('PUT', `${T}/contexts/k2`, { token: approver, body: { value: 1 } })).statusCode).toBe(403);
    expect((await h.call('GET', '/v1/updates?status=pending', { token: approver })).json().items).toHaveLength(1);
    expect((await approve(approver)).statusCode).toBe(200);

    expect((await h.call('PUT', `${T}/policy`, { token: tenantAdmin, body: { minConfidence: 0.5 } })).statusCode).toBe(200);
    expect((await h.call('POST', '/v1/tenants', { token: tenantAdmin, body: { id: 'other' } })).statusCode).toBe(403);
    const tenants = await h.call('GET', '/v1/tenants', { token: reader });
    expect(tenants.json().items.map((t: { id: string }) => t.id)).toEqual(['acme']);
  });

  it('a key scoped to one tenant gets 404 on another, exactly like a tenant that does not exist', async () => {
    h = await createServerHarness();
    await h.engine.tenants.create({ id: 'acme' });
    await h.engine.tenants.create({ id: 'other' });
    const token = await h.key('admin', 'acme');
    const foreign = await h.call('GET', '/v1/tenants/other/contexts', { token });
    const missing = await h.call('GET', '/v1/tenants/nobody/contexts', { token });
    expect(foreign.statusCode).toBe(404);
    const strip = (body: Record<string, unknown>) => ({
      ...body,
      instance: undefined,
      detail: String(body.detail).replace(/"[^"]+"/, '"…"'),
    });
    expect(strip(foreign.json())).toEqual(strip(missing.json()));
  });
});

describe('key lifecycle and logging', () => {
  it('a revoked key stops working within the cache period', async () => {
    h = await createServerHarness({ server: { keyCountTtlMs: 50 } });
    const created = await h.engine.apiKeys.create({ tenantId: null, role: 'admin' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await h.call('GET', '/v1/tenants', { token: created.token })).statusCode).toBe(200);
    await h.engine.apiKeys.create({ tenantId: null, role: 'admin' });
    await h.engine.apiKeys.revoke(created.record.id);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await h.call('GET', '/v1/tenants', { token: created.token })).statusCode).toBe(401);
  });

  it('never logs the Authorization header or bodies', async () => {
    const lines: string[] = [];
    h = await createServerHarness({
      config: { server: { logLevel: 'trace' } },
      server: { logStream: { write: (line: string) => lines.push(line) } },
    });
    const token = await h.key('admin', null);
    await h.call('POST', '/v1/tenants', { token, body: { id: 'acme', name: 'BODY-SECRET' } });
    await h.call('PUT', '/v1/tenants/acme/contexts/k', { token, body: { value: 'VALUE-SECRET' } });
    await h.call('PUT', '/v1/tenants/acme/contexts/k', {
      token,
      payload: '{"value": BROKEN-SECRET',
      headers: { 'content-type': 'application/json' },
    });
    expect(lines.length).toBeGreaterThan(3);
    const log = lines.join('\n');
    for (const secret of [token, token.slice(4, 20), 'BODY-SECRET', 'VALUE-SECRET', 'BROKEN-SECRET'])
      expect(log).not.toContain(secret);
  });
});

describe('open mode', () => {
  it('allows everything without a key on loopback, but checks Host and Origin', async () => {
    h = await createServerHarness();
    expect((await h.call('POST', '/v1/tenants', { body: { id: 'acme' } })).statusCode).toBe(201);
    for (const host of ['localhost', 'localhost:8080', '127.0.0.1:1', '[::1]:8080']) {
      expect((await h.call('GET', `${T}/contexts`, { headers: { host } })).statusCode, host).toBe(200);
    }
    for (const host of ['evil.example', 'evil.example:8080', 'localhost.evil.example']) {
      const response = await h.call('GET', `${T}/contexts`, { headers: { host } });
      expect(response.statusCode, host).toBe(403);
      expect(response.json().code).toBe('host_not_allowed');
    }
    expect((await h.call('GET', `${T}/contexts`, { headers: { origin: 'http://localhost:3000' } })).statusCode).toBe(200);
    for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1.evil.example']) {
      const response = await h.call('GET', `${T}/contexts`, { headers: { origin } });
      expect(response.statusCode, origin).toBe(403);
      expect(response.json().code).toBe('origin_not_allowed');
    }
    expect((await h.call('GET', '/health', { headers: { host: 'evil.example' } })).statusCode).toBe(403);
  });

  it('accepts config.server.allowedHosts', async () => {
    h = await createServerHarness({ config: { server: { allowedHosts: ['ctx.internal'] } } });
    expect(
      (await h.call('GET', '/v1/tenants', { headers: { host: 'ctx.internal:8080', origin: 'http://ctx.internal:8080' } }))
        .statusCode,
    ).toBe(200);
  });

  it('ends as soon as a key exists (checked again within a second)', async () => {
    h = await createServerHarness({ server: { keyCountTtlMs: 50 } });
    expect((await h.call('GET', '/v1/tenants')).statusCode).toBe(200);
    await h.engine.apiKeys.create({ tenantId: null, role: 'admin' });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await h.call('GET', '/v1/tenants')).statusCode).toBe(401);
    // With keys, the Host guard is off: requests authenticate instead.
    const token = await h.key('admin', null);
    expect((await h.call('GET', '/v1/tenants', { token, headers: { host: 'api.example' } })).statusCode).toBe(200);
  });

  it('is never open when not bound to loopback', async () => {
    h = await createServerHarness({ server: { host: '0.0.0.0' } });
    const response = await h.call('GET', '/v1/tenants');
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toMatch(/No API keys exist/);
  });

  it('startServer refuses a non-loopback bind without keys', async () => {
    const engine = await createEngine({ databaseUrl: 'memory:', server: { logLevel: 'silent' } });
    try {
      await expect(startServer(engine, { host: '0.0.0.0', port: 0 })).rejects.toMatchObject({
        name: 'ValidationError',
        code: 'api_keys_required',
        message: expect.stringMatching(/Refusing to listen on 0\.0\.0\.0/),
      });
      await engine.apiKeys.create({ tenantId: null, role: 'admin' });
      const running = await startServer(engine, { host: '0.0.0.0', port: 0 });
      expect(running.port).toBeGreaterThan(0);
      await running.close();
    } finally {
      await engine.close();
    }
  });
});
