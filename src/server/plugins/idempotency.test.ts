import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from '../testing/server-harness.js';

let h: ServerHarness;
let token: string;
const T = '/v1/tenants/acme';

beforeEach(async () => {
  h = await createServerHarness();
  token = await h.key('admin', null);
  await h.engine.tenants.create({ id: 'acme' });
});
afterEach(() => h.close());

const post = (url: string, body: unknown, key: string, as = token) =>
  h.call('POST', url, { token: as, body, headers: { 'idempotency-key': key } });

describe('Idempotency-Key', () => {
  it('replays the first answer with its status, body and headers', async () => {
    const first = await post(`${T}/updates`, { key: 'doc', op: 'put', value: 1 }, 'k-1');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const replay = await post(`${T}/updates`, { key: 'doc', op: 'put', value: 1 }, 'k-1');
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toBe(first.body);
    expect(replay.headers.etag).toBe(first.headers.etag);
    expect(replay.headers.location).toBe(first.headers.location);
    expect(replay.headers['content-type']).toBe(first.headers['content-type']);
    expect((await h.engine.contexts.history('acme', 'doc')).items).toHaveLength(1);
    expect((await h.engine.updates.list({ tenantIds: ['acme'] })).items).toHaveLength(1);
  });

  it('replays creations, rollbacks and reviews too, and 4xx answers', async () => {
    const tenant = await post('/v1/tenants', { id: 'beta' }, 'tenant-1');
    expect((await post('/v1/tenants', { id: 'beta' }, 'tenant-1')).body).toBe(tenant.body);
    const taken = await post('/v1/tenants', { id: 'beta' }, 'tenant-2');
    expect(taken.statusCode).toBe(409);
    const replayedConflict = await post('/v1/tenants', { id: 'beta' }, 'tenant-2');
    expect(replayedConflict.statusCode).toBe(409);
    expect(replayedConflict.headers['idempotent-replayed']).toBe('true');
    expect(replayedConflict.headers['content-type']).toMatch(/^application\/problem\+json/);

    const pending = await h.engine.contexts.put('acme', 'doc', 1, { source: 'human_upload' });
    const approve = await post(`${T}/updates/${pending.update.id}/approve`, { by: 'rita' }, 'approve-1');
    expect(approve.statusCode).toBe(200);
    expect((await post(`${T}/updates/${pending.update.id}/approve`, { by: 'rita' }, 'approve-1')).body).toBe(approve.body);
  });

  it('answers 422 for the same key with another body, and scopes keys by caller', async () => {
    await post(`${T}/updates`, { key: 'doc', op: 'put', value: 1 }, 'k-2');
    const other = await post(`${T}/updates`, { key: 'doc', op: 'put', value: 2 }, 'k-2');
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
    const otherPath = await post(`${T}/contexts/doc/rollback`, { toVersion: 1 }, 'k-2');
    expect(otherPath.statusCode).toBe(422);
    const someoneElse = await h.key('admin', null);
    const theirs = await post(`${T}/updates`, { key: 'doc', op: 'put', value: 2 }, 'k-2', someoneElse);
    expect(theirs.statusCode).toBe(201);
  });

  it('treats a key claimed by another request as reused (422), and accepts it once released', async () => {
    const [admin] = await h.engine.apiKeys.list();
    const scope = `${admin?.id}:acme`;
    await h.engine.store.idempotency.claim(scope, 'busy', 'another-request-hash', new Date().toISOString());
    expect((await post(`${T}/updates`, { key: 'doc', op: 'put', value: 1 }, 'busy')).statusCode).toBe(422);
    await h.engine.store.idempotency.release(scope, 'busy');
    expect((await post(`${T}/updates`, { key: 'doc', op: 'put', value: 1 }, 'busy')).statusCode).toBe(201);
  });

  it('answers 409 for a concurrent duplicate, and releases the claim after a 5xx', async () => {
    const original = h.engine.updates.propose;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    h.engine.updates.propose = async (input) => {
      await gate;
      return original(input);
    };
    const slow = post(`${T}/updates`, { key: 'doc', op: 'put', value: 1 }, 'k-3');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const duplicate = await post(`${T}/updates`, { key: 'doc', op: 'put', value: 1 }, 'k-3');
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().code).toBe('idempotency_in_flight');
    release();
    expect((await slow).statusCode).toBe(201);

    h.engine.updates.propose = async () => {
      throw new Error('disk on fire: SELECT * FROM secrets');
    };
    const failed = await post(`${T}/updates`, { key: 'doc', op: 'put', value: 9 }, 'k-4');
    expect(failed.statusCode).toBe(500);
    expect(failed.body).not.toContain('disk on fire');
    expect(failed.json()).toMatchObject({ code: 'internal_error', detail: 'An internal error occurred; it has been logged.' });
    h.engine.updates.propose = original;
    const retried = await post(`${T}/updates`, { key: 'doc', op: 'put', value: 9 }, 'k-4');
    expect(retried.statusCode).toBe(201);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });
});
