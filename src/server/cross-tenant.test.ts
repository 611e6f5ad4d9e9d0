import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from './testing/server-harness.js';
import { storeSnapshot } from './testing/store-snapshot.js';

/**
 * With keys scoped to tenant-a, every route addressed with tenant-b's path, keys and update ids answers
 * 404 or 403, never a byte of tenant-b's data, and changes nothing in tenant-b.
 */
let h: ServerHarness;
const secrets: string[] = [];
const bKeys = ['b-secret/roadmap', 'b-secret/pricing'];
const bUpdates: string[] = [];

beforeAll(async () => {
  h = await createServerHarness();
  await h.engine.tenants.create({ id: 'tenant-a' });
  await h.engine.tenants.create({ id: 'tenant-b', name: 'B-SECRET-NAME' });
  await h.engine.contexts.put('tenant-a', 'shared/key', { mine: true });
  for (const [index, key] of bKeys.entries()) {
    const value = `B-SECRET-VALUE-${index}`;
    secrets.push(value);
    const first = await h.engine.contexts.put('tenant-b', key, { value, v: 1 });
    await h.engine.contexts.put('tenant-b', key, { value, v: 2 });
    const pending = await h.engine.contexts.put(
      'tenant-b',
      key,
      { value: `B-SECRET-PENDING-${index}` },
      { source: 'human_upload' },
    );
    bUpdates.push(first.update.id, pending.update.id);
    secrets.push(`B-SECRET-PENDING-${index}`);
  }
  secrets.push(...bKeys, ...bUpdates, 'B-SECRET-NAME');
});
afterAll(() => h.close());

interface Probe {
  method: 'GET' | 'PUT' | 'PATCH' | 'DELETE' | 'POST';
  url: string;
  body?: unknown;
}

function probes(): Probe[] {
  const B = '/v1/tenants/tenant-b';
  const A = '/v1/tenants/tenant-a';
  const list: Probe[] = [
    { method: 'GET', url: B },
    { method: 'PUT', url: `${B}/policy`, body: { minConfidence: 0 } },
    { method: 'GET', url: `${B}/contexts` },
    { method: 'GET', url: `${B}/status` },
    { method: 'GET', url: `${B}/updates?status=pending` },
    { method: 'POST', url: `${B}/updates`, body: { key: 'x', op: 'put', value: 1 } },
  ];
  for (const key of bKeys) {
    for (const base of [B, A]) {
      list.push(
        { method: 'GET', url: `${base}/contexts/${key}` },
        { method: 'GET', url: `${base}/contexts/${key}?version=1` },
        { method: 'GET', url: `${base}/contexts/${key}/versions` },
        { method: 'GET', url: `${base}/contexts/${key}/diff?from=1&to=2` },
        { method: 'POST', url: `${base}/contexts/${key}/rollback`, body: { toVersion: 1 } },
        { method: 'DELETE', url: `${base}/contexts/${key}` },
      );
    }
    list.push(
      { method: 'PUT', url: `${B}/contexts/${key}`, body: { value: 'overwrite' } },
      { method: 'PATCH', url: `${B}/contexts/${key}`, body: { value: 'overwrite' } },
    );
  }
  for (const id of bUpdates) {
    for (const base of [B, A]) {
      list.push(
        { method: 'GET', url: `${base}/updates/${id}` },
        { method: 'POST', url: `${base}/updates/${id}/approve`, body: { by: 'mallory' } },
        { method: 'POST', url: `${base}/updates/${id}/reject`, body: { by: 'mallory', reason: 'no' } },
      );
    }
  }
  return list;
}

describe.each(['writer', 'admin', 'approver', 'reader'] as const)('cross-tenant sweep with a tenant-a %s key', (role) => {
  it('answers 404/403 on every route and leaks nothing', async () => {
    const token = await h.key(role, 'tenant-a');
    const before = await storeSnapshot(h.engine);
    for (const probe of probes()) {
      const headers = probe.method === 'PATCH' ? { 'content-type': 'application/merge-patch+json' } : undefined;
      const response = await h.call(probe.method, probe.url, { token, body: probe.body, headers });
      const label = `${role} ${probe.method} ${probe.url} → ${response.statusCode} ${response.body}`;
      expect([403, 404], label).toContain(response.statusCode);
      expect(response.headers['content-type'], label).toMatch(/^application\/problem\+json/);
      for (const secret of secrets) expect(response.body, label).not.toContain(secret);
      if (probe.url.startsWith('/v1/tenants/tenant-b')) {
        expect(response.statusCode, label).toBe(404);
        expect(response.json().detail, label).toBe('Tenant "tenant-b" does not exist.');
      }
    }
    expect(await storeSnapshot(h.engine)).toBe(before);
  });

  it('lists show only tenant-a', async () => {
    const token = await h.key(role, 'tenant-a');
    const listings = [
      await h.call('GET', '/v1/tenants', { token }),
      await h.call('GET', '/v1/tenants/tenant-a/contexts?prefix=b-secret', { token }),
      await h.call('GET', '/v1/tenants/tenant-a/updates', { token }),
      await h.call('GET', '/v1/updates?status=pending', { token }),
    ];
    for (const response of listings) {
      expect([200, 403]).toContain(response.statusCode);
      expect(response.body).not.toContain('tenant-b');
      for (const secret of secrets) expect(response.body).not.toContain(secret);
    }
    expect(listings[0]?.json().items.map((t: { id: string }) => t.id)).toEqual(['tenant-a']);
  });
});
