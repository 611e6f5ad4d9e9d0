import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from './testing/server-harness.js';
import { storeSnapshot } from './testing/store-snapshot.js';

/** Every route, fed bad input, answers problem+json 4xx with a useful detail and changes nothing. */
let h: ServerHarness;
let token: string;
let pendingId: string;
const T = '/v1/tenants/acme';
const K = `${T}/contexts/doc`;
const MAX_VALUE_BYTES = 4096;

beforeAll(async () => {
  h = await createServerHarness({ config: { limits: { maxValueBytes: MAX_VALUE_BYTES } } });
  token = await h.key('admin', null);
  await h.engine.tenants.create({ id: 'acme' });
  await h.engine.contexts.put('acme', 'doc', { a: 1 });
  await h.engine.contexts.put('acme', 'doc', { a: 2 });
  pendingId = (await h.engine.contexts.put('acme', 'doc', { a: 3 }, { source: 'human_upload' })).update.id;
});
afterAll(() => h.close());

type Method = 'GET' | 'PUT' | 'PATCH' | 'DELETE' | 'POST';
interface BadCase {
  method: Method;
  url: string;
  status: number;
  body?: unknown;
  payload?: string;
  contentType?: string;
  headers?: Record<string, string>;
  /** Part of the detail that makes it useful. */
  detail?: RegExp;
}

const malformed = '{"value": 1,,}';
const tooBigBody = JSON.stringify({ value: 'x'.repeat(200_000) });
const tooBigValue = { value: 'x'.repeat(MAX_VALUE_BYTES + 10) };
const longKey = 'k'.repeat(300);

function cases(): BadCase[] {
  const json = 'application/json';
  return [
    // tenants
    { method: 'POST', url: '/v1/tenants', payload: malformed, contentType: json, status: 400, detail: /JSON/ },
    { method: 'POST', url: '/v1/tenants', body: { id: 'Bad Id!' }, status: 400, detail: /id: must be 1-63/ },
    { method: 'POST', url: '/v1/tenants', body: { id: 5 }, status: 400, detail: /id: .*expected string/i },
    { method: 'POST', url: '/v1/tenants', body: { id: 'ok', extra: true }, status: 400, detail: /extra/ },
    { method: 'POST', url: '/v1/tenants', body: { id: 'ok', facets: { industry: '' } }, status: 400, detail: /facets\.industry/ },
    { method: 'POST', url: '/v1/tenants', payload: tooBigBody, contentType: json, status: 413 },
    { method: 'POST', url: '/v1/tenants', payload: '', contentType: json, status: 400 },
    { method: 'POST', url: '/v1/tenants', payload: 'id=x', contentType: 'application/x-www-form-urlencoded', status: 415 },
    { method: 'GET', url: '/v1/tenants?limit=0', status: 400, detail: /limit/ },
    { method: 'GET', url: '/v1/tenants?limit=abc', status: 400, detail: /limit/ },
    { method: 'GET', url: '/v1/tenants?cursor=not-a-cursor', status: 400, detail: /cursor/ },
    { method: 'GET', url: '/v1/tenants?bogus=1', status: 400, detail: /bogus/ },
    { method: 'GET', url: '/v1/tenants/BAD!', status: 400, detail: /tenant: must be/ },
    { method: 'GET', url: `/v1/tenants/${'t'.repeat(64)}`, status: 400, detail: /tenant/ },
    { method: 'PUT', url: `${T}/policy`, body: { sources: { api: 'maybe' } }, status: 400, detail: /sources\.api/ },
    { method: 'PUT', url: `${T}/policy`, body: { minConfidence: 2 }, status: 400, detail: /minConfidence/ },
    { method: 'PUT', url: `${T}/policy`, payload: malformed, contentType: json, status: 400 },
    // contexts: list and read
    { method: 'GET', url: `${T}/contexts?cursor=%%%`, status: 400 },
    { method: 'GET', url: `${T}/contexts?cursor=${Buffer.from('[1]').toString('base64url')}`, status: 400, detail: /cursor/ },
    { method: 'GET', url: `${T}/contexts?limit=-1`, status: 400, detail: /limit/ },
    { method: 'GET', url: `${T}/contexts?prefix=${'p'.repeat(300)}`, status: 400, detail: /prefix/ },
    { method: 'GET', url: `${T}/contexts/a//b`, status: 400, detail: /context key/ },
    { method: 'GET', url: `${T}/contexts/${longKey}`, status: 400, detail: /at most 256/ },
    { method: 'GET', url: `${T}/contexts/a%20b`, status: 400, detail: /context key/ },
    { method: 'GET', url: `${T}/contexts/a%zz`, status: 400, detail: /valid url/ },
    { method: 'GET', url: `${K}?version=0`, status: 400, detail: /version/ },
    { method: 'GET', url: `${K}?version=abc`, status: 400, detail: /version/ },
    { method: 'GET', url: `${K}?version=99`, status: 404, detail: /Version 99/ },
    { method: 'GET', url: `${K}?asOf=yesterday`, status: 400, detail: /asOf/ },
    { method: 'GET', url: `${K}?asOf=1999-01-01T00:00:00Z`, status: 404, detail: /did not exist/ },
    { method: 'GET', url: `${K}?version=1&asOf=2020-01-01T00:00:00Z`, status: 400, detail: /either version or asOf/ },
    { method: 'GET', url: `${K}?from=1`, status: 400, detail: /from/ },
    { method: 'GET', url: `${T}/contexts/missing`, status: 404 },
    { method: 'GET', url: `${K}/versions?cursor=bad`, status: 400, detail: /cursor/ },
    { method: 'GET', url: `${K}/versions?limit=0`, status: 400, detail: /limit/ },
    { method: 'GET', url: `${K}/versions?version=1`, status: 400, detail: /does not apply/ },
    { method: 'GET', url: `${T}/contexts/missing/versions`, status: 404 },
    { method: 'GET', url: `${K}/diff?from=1`, status: 400, detail: /both from and to/ },
    { method: 'GET', url: `${K}/diff?from=a&to=2`, status: 400, detail: /from/ },
    { method: 'GET', url: `${K}/diff?from=1&to=99`, status: 404, detail: /Version 99/ },
    // contexts: writes
    { method: 'PUT', url: `${T}/contexts/a//b`, body: { value: 1 }, status: 400, detail: /context key/ },
    { method: 'PUT', url: `${T}/contexts/${longKey}`, body: { value: 1 }, status: 400, detail: /at most 256/ },
    { method: 'PUT', url: `${T}/contexts/a/`, body: { value: 1 }, status: 400, detail: /context key/ },
    { method: 'PUT', url: K, payload: malformed, contentType: json, status: 400, detail: /JSON/ },
    { method: 'PUT', url: K, body: {}, status: 400, detail: /value: is required/ },
    { method: 'PUT', url: K, body: [1], status: 400 },
    { method: 'PUT', url: K, body: { value: 1, confidence: 'high' }, status: 400, detail: /confidence/ },
    { method: 'PUT', url: K, body: { value: 1, source: 'rumour' }, status: 400, detail: /source/ },
    { method: 'PUT', url: K, body: { value: 1, author: '' }, status: 400, detail: /author/ },
    { method: 'PUT', url: K, payload: '{"value":1,"__proto__":{"x":1}}', contentType: json, status: 400 },
    { method: 'PUT', url: K, body: tooBigValue, status: 413, detail: /bytes|large/i },
    { method: 'PUT', url: K, payload: tooBigBody, contentType: json, status: 413 },
    { method: 'PUT', url: K, payload: 'value', contentType: 'text/plain', status: 415, detail: /Content-Type/ },
    { method: 'PUT', url: K, body: { value: 1 }, headers: { 'if-match': 'nope' }, status: 400, detail: /If-Match/ },
    { method: 'PUT', url: K, body: { value: 1 }, headers: { 'if-match': '"99"' }, status: 412, detail: /version 2/ },
    { method: 'PATCH', url: K, payload: malformed, contentType: 'application/merge-patch+json', status: 400 },
    { method: 'PATCH', url: K, payload: '{"a":1}', contentType: 'text/plain', status: 415 },
    { method: 'PATCH', url: K, payload: '{"a":1}', status: 415, detail: /merge-patch/ },
    {
      method: 'PATCH',
      url: `${K}?confidence=2`,
      payload: '{"a":1}',
      contentType: 'application/merge-patch+json',
      status: 400,
      detail: /confidence/,
    },
    { method: 'PATCH', url: `${K}?source=rumour`, payload: '{"a":1}', contentType: 'application/merge-patch+json', status: 400 },
    {
      method: 'PATCH',
      url: `${T}/contexts/missing`,
      payload: '{"a":1}',
      contentType: 'application/merge-patch+json',
      status: 404,
    },
    { method: 'DELETE', url: `${T}/contexts/missing`, status: 404 },
    { method: 'DELETE', url: `${T}/contexts/a//b`, status: 400 },
    { method: 'DELETE', url: `${K}?bogus=1`, status: 400, detail: /bogus/ },
    { method: 'POST', url: `${K}/rollback`, body: { toVersion: 0 }, status: 400, detail: /toVersion/ },
    { method: 'POST', url: `${K}/rollback`, body: { toVersion: '1' }, status: 400, detail: /toVersion/ },
    { method: 'POST', url: `${K}/rollback`, body: {}, status: 400, detail: /toVersion/ },
    { method: 'POST', url: `${K}/rollback`, body: { toVersion: 99 }, status: 404 },
    { method: 'POST', url: `${K}/rollback`, payload: malformed, contentType: json, status: 400 },
    {
      method: 'POST',
      url: `${K}/rollback`,
      body: { toVersion: 1 },
      headers: { 'idempotency-key': 'x'.repeat(300) },
      status: 400,
      detail: /Idempotency-Key/,
    },
    { method: 'POST', url: K, body: { toVersion: 1 }, status: 405 },
    // updates
    { method: 'POST', url: `${T}/updates`, body: { op: 'put', value: 1 }, status: 400, detail: /key/ },
    { method: 'POST', url: `${T}/updates`, body: { key: 'doc', op: 'put' }, status: 400, detail: /value: is required/ },
    { method: 'POST', url: `${T}/updates`, body: { key: 'doc', op: 'explode' }, status: 400, detail: /op/ },
    {
      method: 'POST',
      url: `${T}/updates`,
      body: { key: 'doc', op: 'put', value: 1, patch: {} },
      status: 400,
      detail: /patch: is not allowed/,
    },
    {
      method: 'POST',
      url: `${T}/updates`,
      body: { key: 'doc', op: 'delete', tenantId: 'other' },
      status: 400,
      detail: /tenantId/,
    },
    {
      method: 'POST',
      url: `${T}/updates`,
      body: { key: 'doc', op: 'delete', baseVersion: 'x' },
      status: 400,
      detail: /baseVersion/,
    },
    { method: 'POST', url: `${T}/updates`, body: { key: 'a//b', op: 'delete' }, status: 400, detail: /key/ },
    { method: 'POST', url: `${T}/updates`, body: { key: 'doc', op: 'put', value: tooBigValue.value }, status: 413 },
    { method: 'POST', url: `${T}/updates`, payload: malformed, contentType: json, status: 400 },
    { method: 'GET', url: `${T}/updates?status=bogus`, status: 400, detail: /status/ },
    { method: 'GET', url: `${T}/updates?cursor=bad`, status: 400, detail: /cursor/ },
    { method: 'GET', url: `${T}/updates?limit=9999`, status: 400, detail: /limit/ },
    { method: 'GET', url: `${T}/updates/upd_doesnotexist`, status: 404 },
    { method: 'POST', url: `${T}/updates/upd_doesnotexist/approve`, body: { by: 'x' }, status: 404 },
    { method: 'POST', url: `${T}/updates/PENDING/approve`, body: {}, status: 400, detail: /by/ },
    { method: 'POST', url: `${T}/updates/PENDING/approve`, body: { by: '' }, status: 400, detail: /by/ },
    {
      method: 'POST',
      url: `${T}/updates/PENDING/approve`,
      body: { by: 'x', expectedContentHash: 'xyz' },
      status: 400,
      detail: /sha256/,
    },
    { method: 'POST', url: `${T}/updates/PENDING/approve`, body: { by: 'x', expectedContentHash: 'a'.repeat(64) }, status: 412 },
    { method: 'POST', url: `${T}/updates/PENDING/reject`, body: { by: 'x' }, status: 400, detail: /reason/ },
    { method: 'POST', url: `${T}/updates/PENDING/reject`, payload: malformed, contentType: json, status: 400 },
    { method: 'GET', url: '/v1/updates?status=bogus', status: 400, detail: /status/ },
    { method: 'GET', url: `${T}/status?x=1`, status: 200 },
    // routes
    { method: 'GET', url: '/v1/nothing-here', status: 404, detail: /No route/ },
    { method: 'DELETE', url: `${T}/status`, status: 405 },
  ].filter((item) => item.status !== 200) as BadCase[];
}

describe('bad input on every route', () => {
  it('answers problem+json 4xx with a useful detail and changes nothing', async () => {
    const before = await storeSnapshot(h.engine);
    for (const item of cases()) {
      const url = item.url.replace('PENDING', pendingId);
      const headers: Record<string, string> = { ...item.headers };
      if (item.contentType !== undefined) headers['content-type'] = item.contentType;
      const response = await h.call(item.method, url, { token, body: item.body, payload: item.payload, headers });
      const label = `${item.method} ${item.url.slice(0, 80)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
      expect(response.statusCode, label).toBe(item.status);
      expect(response.headers['content-type'], label).toMatch(/^application\/problem\+json/);
      const problem = response.json();
      expect(problem, label).toMatchObject({
        type: expect.any(String),
        title: expect.any(String),
        status: item.status,
        code: expect.any(String),
      });
      expect(problem.detail.length, label).toBeGreaterThan(10);
      if (item.detail) expect(problem.detail, label).toMatch(item.detail);
      expect(response.body, label).not.toMatch(/at .*\.(ts|js):\d+|SQLITE|SELECT |INSERT /);
    }
    expect(await storeSnapshot(h.engine)).toBe(before);
  });
});
