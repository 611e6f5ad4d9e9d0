import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectWebSocket } from '../../test-support/ws-client.js';
import { createServerHarness, type ServerHarness } from '../testing/server-harness.js';

let harness: ServerHarness;
let base: string;

beforeEach(async () => {
  harness = await createServerHarness();
  await harness.app.listen({ host: '127.0.0.1', port: 0 });
  const address = harness.app.server.address();
  base = typeof address === 'object' && address !== null ? `127.0.0.1:${address.port}` : '';
  for (const id of ['acme', 'globex']) await harness.call('POST', '/v1/tenants', { body: { id } });
});
afterEach(() => harness.close());

function subscribe(path: string, headers: Record<string, string> = {}) {
  return connectWebSocket(`ws://${base}${path}`, headers);
}

describe('WebSocket context/subscribe', () => {
  it('streams new events of one correlation of one tenant, and nothing else', async () => {
    const { socket, messages, opened } = subscribe('/v1/tenants/acme/context/subscribe?correlation_id=corr_ws');
    expect(await opened).toBe(101);
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]).toEqual({ type: 'subscribed', correlationId: 'corr_ws' });
    const post = (tenant: string, correlation: string, event: string) =>
      harness.call('POST', `/v1/tenants/${tenant}/events`, { body: { event }, headers: { 'x-correlation-id': correlation } });
    await post('acme', 'corr_other', 'not.this');
    await post('globex', 'corr_ws', 'nor.this');
    const wanted = await post('acme', 'corr_ws', 'agent.status');
    await harness.call('PUT', '/v1/tenants/acme/contexts/doc', {
      body: { value: 1 },
      headers: { 'x-correlation-id': 'corr_ws' },
    });
    const events = () => messages.filter((message) => message.type === 'event').map((message) => message.event);
    await expect.poll(events).toEqual(['agent.status', 'context.updated']);
    expect(messages[1]).toMatchObject({
      type: 'event',
      ref: (wanted.json() as { ref: string }).ref,
      context: { correlationId: 'corr_ws' },
    });
    expect(messages[1]).not.toHaveProperty('tenantId');
    socket.close();
  });

  it('refuses another tenant’s key, a missing correlation id and an unknown tenant before upgrading', async () => {
    const globex = await harness.key('reader', 'globex');
    const acme = await harness.key('reader', 'acme');
    const other = subscribe('/v1/tenants/acme/context/subscribe?correlation_id=c', { authorization: `Bearer ${globex}` });
    expect(await other.opened).toBe(404);
    const missing = subscribe('/v1/tenants/acme/context/subscribe', { authorization: `Bearer ${acme}` });
    expect(await missing.opened).toBe(400);
    const anonymous = subscribe('/v1/tenants/acme/context/subscribe?correlation_id=c');
    expect(await anonymous.opened).toBe(401);
    const own = subscribe('/v1/tenants/acme/context/subscribe?correlation_id=c', { authorization: `Bearer ${acme}` });
    expect(await own.opened).toBe(101);
    own.socket.close();
  });
});

describe('WebSocket subscribe on the unprefixed /v1/context and /api/context paths', () => {
  /** Posts an event (with the tenant's writer key once keys exist) and checks it was stored. */
  const post = async (tenant: string, correlation: string, event: string, token?: string) => {
    const response = await harness.call('POST', `/v1/tenants/${tenant}/events`, {
      body: { event },
      headers: { 'x-correlation-id': correlation },
      token,
    });
    expect(response.statusCode).toBe(201);
    return response;
  };
  const events = (messages: Record<string, unknown>[]) =>
    messages.filter((message) => message.type === 'event').map((message) => message.event);

  it('takes the tenant from `?tenant=` in open mode', async () => {
    const unnamed = subscribe('/v1/context/subscribe?correlation_id=corr_open');
    expect(await unnamed.opened).toBe(400);
    const unknown = subscribe('/api/context/subscribe?correlation_id=corr_open&tenant=nobody');
    expect(await unknown.opened).toBe(404);
    const named = subscribe('/api/context/subscribe?correlation_id=corr_open&tenant=acme');
    expect(await named.opened).toBe(101);
    await expect.poll(() => named.messages.length).toBe(1);
    await post('globex', 'corr_open', 'not.this');
    await post('acme', 'corr_open', 'agent.status');
    await expect.poll(() => events(named.messages)).toEqual(['agent.status']);
    named.socket.close();
  });

  it('takes the tenant from the key, and a tenant-B key never receives tenant A’s events', async () => {
    const acme = await harness.key('reader', 'acme');
    const globex = await harness.key('reader', 'globex');
    const writers = { acme: await harness.key('writer', 'acme'), globex: await harness.key('writer', 'globex') };
    const anonymous = subscribe('/v1/context/subscribe?correlation_id=corr_key');
    expect(await anonymous.opened).toBe(401);
    const crossing = subscribe('/v1/context/subscribe?correlation_id=corr_key&tenant=acme', {
      authorization: `Bearer ${globex}`,
    });
    expect(await crossing.opened).toBe(404);
    const streams = {
      acmeV1: subscribe('/v1/context/subscribe?correlation_id=corr_key', { authorization: `Bearer ${acme}` }),
      acmeApi: subscribe('/api/context/subscribe?correlation_id=corr_key', { authorization: `Bearer ${acme}` }),
      globexV1: subscribe('/v1/context/subscribe?correlation_id=corr_key', { authorization: `Bearer ${globex}` }),
      globexApi: subscribe('/api/context/subscribe?correlationId=corr_key', { authorization: `Bearer ${globex}` }),
    };
    for (const stream of Object.values(streams)) {
      expect(await stream.opened).toBe(101);
      await expect.poll(() => stream.messages.length).toBe(1);
      expect(stream.messages[0]).toEqual({ type: 'subscribed', correlationId: 'corr_key' });
    }
    const secret = await post('acme', 'corr_key', 'acme.secret', writers.acme);
    await post('globex', 'corr_key', 'globex.own', writers.globex);
    await post('acme', 'corr_other', 'acme.other', writers.acme);
    await expect.poll(() => events(streams.acmeV1.messages)).toEqual(['acme.secret']);
    await expect.poll(() => events(streams.acmeApi.messages)).toEqual(['acme.secret']);
    await expect.poll(() => events(streams.globexV1.messages)).toEqual(['globex.own']);
    await expect.poll(() => events(streams.globexApi.messages)).toEqual(['globex.own']);
    expect(streams.acmeV1.messages[1]).toMatchObject({ ref: (secret.json() as { ref: string }).ref });
    // a last acme event, then a last globex one: when globex's arrives, acme's would have been delivered before it
    await post('acme', 'corr_key', 'acme.late', writers.acme);
    await post('globex', 'corr_key', 'globex.late', writers.globex);
    await expect.poll(() => events(streams.globexV1.messages)).toEqual(['globex.own', 'globex.late']);
    expect(events(streams.globexApi.messages)).not.toContain('acme.late');
    for (const stream of Object.values(streams)) stream.socket.close();
  });
});

describe('conversation continuity and snapshots', () => {
  it('lists a session’s chain and summarises an agent’s conversation', async () => {
    const refs: string[] = [];
    for (const [agentId, event] of [
      ['planner', 'plan.created'],
      ['writer', 'draft.written'],
      ['planner', 'plan.revised'],
    ] as const) {
      const response = await harness.call('POST', '/v1/tenants/acme/events', {
        body: {
          event,
          context: { agentId, sessionId: 'session_123', timestamp: new Date(Date.now() + refs.length).toISOString() },
        },
      });
      refs.push((response.json() as { ref: string }).ref);
    }
    const chain = await harness.call('GET', '/v1/tenants/acme/sessions/session_123/context-chain');
    expect((chain.json() as { items: { ref: string }[] }).items.map((item) => item.ref)).toEqual(refs);
    const page = await harness.call('GET', '/v1/tenants/acme/sessions/session_123/context-chain?limit=2');
    expect(page.json()).toMatchObject({ sessionId: 'session_123', nextCursor: expect.any(String) });
    const conversation = await harness.call('GET', '/v1/tenants/acme/agents/planner/conversation');
    expect(conversation.json()).toMatchObject({
      agentId: 'planner',
      sessionId: 'session_123',
      status: 'active_session',
      conversationStarted: refs[0],
      contextChainLength: 2,
      contexts: [{ ref: refs[0] }, { ref: refs[2] }],
    });
    const nobody = await harness.call('GET', '/v1/tenants/acme/agents/nobody/conversation');
    expect(nobody.json()).toMatchObject({ status: 'no_events', contextChainLength: 0, contexts: [] });
    const otherTenant = await harness.call('GET', '/v1/tenants/globex/sessions/session_123/context-chain');
    expect((otherTenant.json() as { items: unknown[] }).items).toEqual([]);
  });

  it('stores a state snapshot as a context and recovers (and re-emits) it', async () => {
    const state = {
      orchestration_id: 'orch_123',
      pattern_name: 'analysis',
      state: 'running',
      agents: { agent_1: { profile: 'analyst' } },
    };
    const snapshot = await harness.engine.events.snapshot('orchestration', state, {
      tenantId: 'acme',
      correlationId: 'corr_orch',
    });
    expect(snapshot.ref).toMatch(/^ctx_orchestration_system_[0-9a-f]{24}$/);
    const recovered = await harness.call('POST', '/v1/context/recover', { body: { ref: snapshot.ref, tenant: 'acme' } });
    expect(recovered.statusCode).toBe(200);
    const body = recovered.json() as { state: unknown; kind: string; recovered: { ref: string } };
    expect(body).toMatchObject({ ref: snapshot.ref, kind: 'orchestration', state });
    const child = await harness.engine.events.resolve('acme', body.recovered.ref);
    expect(child).toMatchObject({
      parentEventId: snapshot.eventId,
      correlationId: 'corr_orch',
      custom: { recoveredFrom: snapshot.ref },
    });
    const plain = await harness.call('POST', '/v1/tenants/acme/events', { body: { event: 'not.snapshot' } });
    const refused = await harness.call('POST', '/v1/tenants/acme/context/recover', {
      body: { ref: (plain.json() as { ref: string }).ref },
    });
    expect(refused.statusCode).toBe(400);
    expect((refused.json() as { code: string }).code).toBe('not_a_snapshot');
    const crossTenant = await harness.call('POST', '/v1/tenants/globex/context/recover', { body: { ref: snapshot.ref } });
    expect((crossTenant.json() as { code: string }).code).toBe('not_a_snapshot');
  });
});
