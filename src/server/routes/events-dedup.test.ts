import { describe, expect, it } from 'vitest';
import { useEventRouteHarness } from '../testing/event-route-harness.js';
import type { ServerHarness } from '../testing/server-harness.js';

let harness: ServerHarness;
const post = useEventRouteHarness((created) => {
  harness = created;
});

/** Emits, expecting 201: the answer and its headers. */
async function emit(tenant: string, body: object, headers: Record<string, string> = {}) {
  const { response, body: answer } = await post(tenant, body, { headers });
  expect(response.statusCode).toBe(201);
  return { body: answer, headers: response.headers };
}

describe('POST /v1/tenants/:tenant/events retried', () => {
  const retry = { event: 'order:placed', data: { order: 7 }, context: { eventId: 'order_7', timestamp: '2026-01-01T00:00:00Z' } };

  it('stores a retried event once: the same ref and context, deduplicated', async () => {
    const cold = async () =>
      ((await harness.call('GET', '/v1/tenants/acme/context/stats')).json() as { cold: { events: number; bytes: number } }).cold;
    // an acknowledged emit writes whatever else waits for the cold tier (tenant.created): it goes first
    await emit('acme', { event: 'warm:up', data: null });
    const before = await cold();
    const first = await emit('acme', retry);
    const stored = await cold();
    expect(stored.events).toBe(before.events + 1);
    expect(stored.bytes).toBeGreaterThan(before.bytes + JSON.stringify(first.body.context).length / 2);
    const again = await emit('acme', retry);
    expect(await cold()).toEqual(stored);
    expect(first.body.deduplicated).toBe(false);
    expect(again.body).toEqual({ ...first.body, deduplicated: true });
    // the response names the event's correlation (made from the event id: the request's own was made up)
    expect(again.headers['x-correlation-id']).toBe(first.body.context.correlationId);
    expect(again.headers.traceparent).toBe(first.headers.traceparent);
    const stats = (await harness.call('GET', '/v1/tenants/acme/context/stats')).json() as { deduplicated: number };
    expect(stats.deduplicated).toBe(1);
  });

  it('keeps the caller’s correlation id and trace, and tells tenants and changed events apart', async () => {
    const correlated = await emit('acme', retry, { 'x-correlation-id': 'corr_checkout' });
    expect(correlated.body.context.correlationId).toBe('corr_checkout');
    expect((await emit('acme', retry, { 'x-correlation-id': 'corr_checkout' })).body.ref).toBe(correlated.body.ref);
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const traced = await emit('acme', retry, { traceparent });
    expect(traced.body.context.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect((await emit('acme', retry, { traceparent })).body.deduplicated).toBe(true);
    // another tenant, another timestamp: other contexts
    const elsewhere = await emit('globex', retry);
    const later = await emit('acme', { ...retry, context: { ...retry.context, timestamp: '2026-01-01T00:00:01Z' } });
    const refs = new Set([correlated.body.ref, traced.body.ref, elsewhere.body.ref, later.body.ref]);
    expect(refs.size).toBe(4);
    expect(elsewhere.body.deduplicated).toBe(false);
    expect(later.body.deduplicated).toBe(false);
  });

  it('makes every event without an id of its own a new one', async () => {
    const body = { event: 'agent:status', data: null, context: { timestamp: '2026-01-01T00:00:00Z' } };
    const one = await emit('acme', body);
    const two = await emit('acme', body);
    expect(two.body.ref).not.toBe(one.body.ref);
    expect(two.body.deduplicated).toBe(false);
  });
});
