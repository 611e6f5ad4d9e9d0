import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../store/memory/create-memory-store.js';
import { createServerHarness, type ServerHarness } from '../testing/server-harness.js';

let h: ServerHarness;
beforeEach(async () => {
  h = await createServerHarness();
});
afterEach(() => h.close());

describe('health', () => {
  it('is ok, and 503 down when the store fails', async () => {
    const ok = await h.call('GET', '/health');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'ok', store: { backend: 'memory', ok: true } });
    let failing = false;
    const memory = createMemoryStore();
    const store = {
      ...memory,
      health: async () => {
        if (failing) throw new Error('connection refused to 10.0.0.5');
        return memory.health();
      },
    };
    const failingHarness = await createServerHarness({ store });
    expect((await failingHarness.call('GET', '/health')).statusCode).toBe(200);
    failing = true;
    const down = await failingHarness.call('GET', '/health');
    await failingHarness.close();
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'down', store: { ok: false } });
    expect(down.body).not.toContain('10.0.0.5');
  });
});

describe('metrics', () => {
  it('exposes request, latency, store-operation and pending-update metrics', async () => {
    await h.engine.tenants.create({ id: 'acme' });
    await h.engine.contexts.put('acme', 'doc', 1, { source: 'human_upload' });
    await h.call('PUT', '/v1/tenants/acme/contexts/a', { body: { value: 1 } });
    await h.call('GET', '/v1/tenants/acme/contexts/a/versions');
    await h.call('GET', '/nowhere');
    const metrics = await h.call('GET', '/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    const text = metrics.body;
    for (const name of [
      'ctx_http_requests_total',
      'ctx_http_request_duration_seconds_bucket',
      'ctx_store_operation_duration_seconds_bucket',
      'ctx_pending_updates',
    ]) {
      expect(text).toContain(name);
    }
    expect(text).toContain('ctx_pending_updates 1');
    expect(text).toMatch(
      /ctx_http_requests_total\{method="PUT",route="\/v1\/tenants\/:tenant\/contexts\/\*",status_code="201"\} 1/,
    );
    expect(text).toMatch(/route="\/v1\/tenants\/:tenant\/contexts\/\*\/versions"/);
    expect(text).toMatch(/route="unmatched",status_code="404"/);
    expect(text).toMatch(/operation="contexts\.put",outcome="ok"/);
    expect(text).not.toContain('acme');
  });

  it('two servers in one process keep separate registries', async () => {
    const other = await (await import('../testing/server-harness.js')).createServerHarness();
    try {
      expect((await other.call('GET', '/metrics')).statusCode).toBe(200);
      expect((await h.call('GET', '/metrics')).statusCode).toBe(200);
    } finally {
      await other.close();
    }
  });
});

describe('OpenAPI and docs', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const response = await h.call('GET', '/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    for (const path of [
      '/v1/tenants',
      '/v1/tenants/{tenant}',
      '/v1/tenants/{tenant}/policy',
      '/v1/tenants/{tenant}/contexts',
      '/v1/tenants/{tenant}/updates',
      '/v1/tenants/{tenant}/updates/{id}/approve',
      '/v1/tenants/{tenant}/updates/{id}/reject',
      '/v1/tenants/{tenant}/status',
      '/v1/updates',
      '/health',
      '/metrics',
    ]) {
      expect(document.paths, path).toHaveProperty([path]);
    }
    const contextPath = Object.keys(document.paths).find((path) => path.startsWith('/v1/tenants/{tenant}/contexts/'));
    expect(Object.keys(document.paths[contextPath as string])).toEqual(
      expect.arrayContaining(['get', 'put', 'patch', 'delete', 'post']),
    );
    const create = document.paths['/v1/tenants'].post;
    expect(JSON.stringify(create.requestBody)).toContain('"id"');
    expect(create.responses).toHaveProperty('201');
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(document.paths).some((path) => path.startsWith('/docs'))).toBe(false);
  });

  it('serves Swagger UI from local assets', async () => {
    const page = await h.call('GET', '/docs/');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger-ui');
    expect(page.body).not.toMatch(/https?:\/\/(?!localhost)[a-z]/i);
    const script = await h.call('GET', '/docs/static/swagger-ui-bundle.js');
    expect(script.statusCode).toBe(200);
  });
});
