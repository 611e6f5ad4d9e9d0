import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from './testing/server-harness.js';

let h: ServerHarness;
const K = '/v1/tenants/acme/contexts/doc';

beforeEach(async () => {
  h = await createServerHarness();
  await h.engine.tenants.create({ id: 'acme' });
});
afterEach(() => h.close());

describe('ETag, If-Match, If-None-Match', () => {
  it('If-None-Match: * creates only', async () => {
    const created = await h.call('PUT', K, { body: { value: 1 }, headers: { 'if-none-match': '*' } });
    expect(created.statusCode).toBe(201);
    const again = await h.call('PUT', K, { body: { value: 2 }, headers: { 'if-none-match': '*' } });
    expect(again.statusCode).toBe(412);
    expect(again.json()).toMatchObject({ code: 'precondition_failed', currentVersion: 1 });
    expect(again.headers.etag).toBeUndefined();
  });

  it('If-Match must name the current version', async () => {
    await h.call('PUT', K, { body: { value: 1 } });
    const ok = await h.call('PUT', K, { body: { value: 2 }, headers: { 'if-match': '"1"' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.headers.etag).toBe('"2"');
    const stale = await h.call('PUT', K, { body: { value: 3 }, headers: { 'if-match': '"1"' } });
    expect(stale.statusCode).toBe(412);
    const patch = await h.call('PATCH', K, {
      payload: '{"a":1}',
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
    });
    expect(patch.statusCode).toBe(412);
    const stalDelete = await h.call('DELETE', K, { headers: { 'if-match': '"1"' } });
    expect(stalDelete.statusCode).toBe(412);
    const rollback = await h.call('POST', `${K}/rollback`, { body: { toVersion: 1 }, headers: { 'if-match': '"1"' } });
    expect(rollback.statusCode).toBe(412);
    const star = await h.call('PUT', K, { body: { value: 4 }, headers: { 'if-match': '*' } });
    expect(star.statusCode).toBe(201);
    const deleted = await h.call('DELETE', K, { headers: { 'if-match': '"3"' } });
    expect(deleted.statusCode).toBe(200);
    expect((await h.call('PUT', K, { body: { value: 5 }, headers: { 'if-match': '*' } })).statusCode).toBe(412);
    expect((await h.call('GET', `${K}/versions`)).json().items).toHaveLength(4);
  });

  it('If-Match on a pending write is checked before it is queued', async () => {
    await h.call('PUT', K, { body: { value: 1 } });
    const stale = await h.call('PUT', K, { body: { value: 2, source: 'human_upload' }, headers: { 'if-match': '"7"' } });
    expect(stale.statusCode).toBe(412);
    const fresh = await h.call('PUT', K, { body: { value: 2, source: 'human_upload' }, headers: { 'if-match': '"1"' } });
    expect(fresh.statusCode).toBe(202);
    expect(fresh.headers.etag).toBeUndefined();
  });

  it('refuses malformed preconditions with 400', async () => {
    const variants: Record<string, string>[] = [
      { 'if-match': '1' },
      { 'if-match': 'W/"1"' },
      { 'if-match': '"1", "2"' },
      { 'if-none-match': '"1"' },
      { 'if-match': '"1"', 'if-none-match': '*' },
    ];
    for (const headers of variants) {
      const response = await h.call('PUT', K, { body: { value: 1 }, headers });
      expect(response.statusCode, JSON.stringify(headers)).toBe(400);
      expect(response.json().code).toBe('invalid_precondition');
    }
  });

  it('GET answers 304 when If-None-Match names the current version', async () => {
    await h.call('PUT', K, { body: { value: 1 } });
    const notModified = await h.call('GET', K, { headers: { 'if-none-match': '"1"' } });
    expect(notModified.statusCode).toBe(304);
    expect(notModified.headers.etag).toBe('"1"');
    expect(notModified.body).toBe('');
    expect((await h.call('GET', K, { headers: { 'if-none-match': '"9"' } })).statusCode).toBe(200);
  });
});
