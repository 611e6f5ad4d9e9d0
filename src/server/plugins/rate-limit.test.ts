import { afterEach, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from '../testing/server-harness.js';

let h: ServerHarness;
afterEach(() => h.close());

describe('rate limit', () => {
  it('answers 429 problem+json with Retry-After, per API key', async () => {
    h = await createServerHarness({ server: { rateLimit: { max: 3, windowMs: 60_000 } } });
    const first = await h.key('admin', null);
    const second = await h.key('admin', null);
    for (let index = 0; index < 3; index++) expect((await h.call('GET', '/v1/tenants', { token: first })).statusCode).toBe(200);
    const limited = await h.call('GET', '/v1/tenants', { token: first });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({
      status: 429,
      code: 'rate_limited',
      detail: expect.stringMatching(/at most 3 requests/),
    });
    expect((await h.call('GET', '/v1/tenants', { token: second })).statusCode).toBe(200);
    expect((await h.call('GET', '/health')).statusCode).toBe(200);
  });

  it('keys on the client address in open mode', async () => {
    h = await createServerHarness({ server: { rateLimit: { max: 1, windowMs: 60_000 } } });
    expect((await h.call('GET', '/v1/tenants')).statusCode).toBe(200);
    expect((await h.call('GET', '/v1/tenants')).statusCode).toBe(429);
  });
});
