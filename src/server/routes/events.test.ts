import { describe, expect, it } from 'vitest';
import { useEventRouteHarness } from '../testing/event-route-harness.js';
import type { ServerHarness } from '../testing/server-harness.js';

let harness: ServerHarness;
const emit = useEventRouteHarness((created) => {
  harness = created;
});

describe('POST /v1/tenants/:tenant/events and the gateway', () => {
  it('emits, resolves, batches, queries and counts', async () => {
    const { response, body } = await emit(
      'acme',
      { event: 'agent:status', data: { status: 'active' }, context: { agentId: 'my_agent', sessionId: 'session_123' } },
      { headers: { 'x-correlation-id': 'corr_456' } },
    );
    expect(response.statusCode).toBe(201);
    expect(body.ref).toMatch(/^ctx_agent_my_agent_[0-9a-f]{24}$/);
    expect(body.context).toMatchObject({ correlationId: 'corr_456', agentId: 'my_agent', depth: 0 });
    expect(response.headers.traceparent).toBe(`00-${body.context.traceId}-${body.context.spanId}-01`);
    expect(response.headers['x-correlation-id']).toBe('corr_456');

    const resolved = await harness.call('POST', '/v1/tenants/acme/context/resolve', { body: { ref: body.ref } });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toEqual({ ref: body.ref, context: body.context });

    const unknown = `ctx_agent_my_agent_${'0'.repeat(24)}`;
    const batch = await harness.call('POST', '/v1/tenants/acme/context/resolve_batch', { body: { refs: [body.ref, unknown] } });
    expect(batch.json()).toEqual({ contexts: { [body.ref]: body.context, [unknown]: null } });

    const query = await harness.call('POST', '/v1/tenants/acme/context/query', { body: { correlationId: 'corr_456' } });
    expect(query.json()).toEqual({
      items: [{ ref: body.ref, event: 'agent:status', context: body.context, data: { status: 'active' } }],
    });

    const stats = await harness.call('GET', '/v1/tenants/acme/context/stats');
    expect(stats.json()).toMatchObject({ tenantId: 'acme', cold: { events: 2 }, resolutions: { hot: 2, missing: 1 } });
    const health = await harness.call('GET', '/v1/tenants/acme/context/health');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', cold: { ok: true, backend: 'memory' } });
  });

  it('answers an event whose correlation id is not a valid header value (non-ASCII) without echoing it as a header', async () => {
    const { response, body } = await emit('acme', { event: 'order.placed', context: { correlationId: 'bestellung-ü-🚚' } });
    expect(response.statusCode).toBe(201);
    expect(body.context.correlationId).toBe('bestellung-ü-🚚');
    expect(response.headers['x-correlation-id']).toBeUndefined();
    expect(response.headers.baggage).toContain(encodeURIComponent('bestellung-ü-🚚'));
  });

  it('makes an event the child of `parent`, or of the traceparent of an earlier answer (an HTTP hop)', async () => {
    const root = await emit('acme', { event: 'order.placed', context: { correlationId: 'corr_order' } });
    const child = await emit('acme', { event: 'order.checked', parent: root.body.ref });
    expect(child.body.context).toMatchObject({
      parentEventId: root.body.eventId,
      rootEventId: root.body.eventId,
      depth: 1,
      correlationId: 'corr_order',
    });
    const hop = await emit(
      'acme',
      { event: 'invoice.sent' },
      { headers: { traceparent: String(child.response.headers.traceparent), baggage: String(child.response.headers.baggage) } },
    );
    expect(hop.body.context).toMatchObject({
      parentEventId: child.body.eventId,
      rootEventId: root.body.eventId,
      depth: 2,
      correlationId: 'corr_order',
      traceId: root.body.context.traceId,
    });
    const bare = await emit(
      'acme',
      { event: 'invoice.sent' },
      { headers: { traceparent: String(child.response.headers.traceparent) } },
    );
    expect(bare.body.context).toMatchObject({ parentEventId: child.body.eventId, traceId: root.body.context.traceId });
  });

  it('traces the engine’s own events by the correlation id of the request that caused them', async () => {
    const put = await harness.call('PUT', '/v1/tenants/acme/contexts/meetings/weekly', {
      body: { value: { notes: 'payroll' }, source: 'human_upload', author: 'dana' },
      headers: { 'x-correlation-id': 'corr_upload' },
    });
    expect(put.statusCode).toBe(202);
    const updateId = (put.json() as { updateId: string }).updateId;
    const approve = await harness.call('POST', `/v1/tenants/acme/updates/${updateId}/approve`, {
      body: { by: 'john' },
      headers: { 'x-correlation-id': 'corr_review' },
    });
    expect(approve.statusCode).toBe(200);
    const names = async (correlationId: string) =>
      (
        (await harness.call('POST', '/v1/tenants/acme/context/query', { body: { correlationId } })).json() as {
          items: { event: string; data: Record<string, unknown> }[];
        }
      ).items;
    expect((await names('corr_upload')).map((item) => item.event)).toEqual(['update.proposed']);
    const review = await names('corr_review');
    expect(review.map((item) => item.event).sort()).toEqual(['context.updated', 'update.approved']);
    expect(review.find((item) => item.event === 'update.approved')?.data).toMatchObject({
      update: { id: updateId, status: 'applied' },
    });
  });

  it('refuses bad input with problem+json and stores nothing', async () => {
    const before = (await harness.call('GET', '/v1/tenants/acme/context/stats')).json() as { emitted: number };
    const cases: [string, string, object, string][] = [
      ['POST', '/v1/tenants/acme/events', { event: 'bad name' }, 'invalid_request'],
      ['POST', '/v1/tenants/acme/events', { event: 'a.b', extra: 1 }, 'invalid_request'],
      ['POST', '/v1/tenants/acme/events', { event: 'a.b', parent: 'ctx_nope' }, 'invalid_request'],
      ['POST', '/v1/tenants/acme/events', { event: 'a.b', parent: `ctx_a_b_${'1'.repeat(24)}` }, 'unknown_parent_context'],
      ['POST', '/v1/tenants/acme/events', { event: 'a.b', context: { timestamp: 'soon' } }, 'invalid_timestamp'],
      ['POST', '/v1/tenants/acme/context/resolve', { ref: 'nope' }, 'invalid_request'],
      [
        'POST',
        '/v1/tenants/acme/context/resolve_batch',
        { refs: Array(1001).fill(`ctx_a_b_${'1'.repeat(24)}`) },
        'invalid_request',
      ],
      ['POST', '/v1/tenants/acme/context/query', { limit: 0 }, 'invalid_request'],
      ['POST', '/v1/tenants/acme/context/query', { cursor: 'zzz' }, 'invalid_cursor'],
      ['POST', '/v1/tenants/acme/context/query', { tenant: 'globex' }, 'tenant_mismatch'],
    ];
    for (const [method, url, body, code] of cases) {
      const response = await harness.call(method as 'POST', url, { body });
      expect(response.statusCode, `${url} ${JSON.stringify(body).slice(0, 60)}`).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect((response.json() as { code: string }).code).toBe(code);
    }
    const malformedTrace = await harness.call('POST', '/v1/tenants/acme/events', {
      body: { event: 'a.b' },
      headers: { traceparent: 'x' },
    });
    expect(malformedTrace.statusCode).toBe(400);
    const missing = await harness.call('POST', '/v1/tenants/acme/context/resolve', {
      body: { ref: `ctx_a_b_${'2'.repeat(24)}` },
    });
    expect(missing.statusCode).toBe(404);
    expect((missing.json() as { code: string }).code).toBe('context_not_found');
    const after = (await harness.call('GET', '/v1/tenants/acme/context/stats')).json() as { emitted: number };
    expect(after.emitted).toBe(before.emitted);
  });
});

describe('concurrent requests over a real socket', () => {
  it('keep each request’s event scope: no correlation id bleeds into another request’s events', async () => {
    await harness.app.listen({ host: '127.0.0.1', port: 0 });
    const address = harness.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    // a handler that yields before emitting: its child must still belong to the request that caused its parent
    const children: { parentEventId: string | null; correlationId: string }[] = [];
    harness.engine.events.on('load.tested', async (data) => {
      await new Promise((resolve) => setTimeout(resolve, ((data as { index: number }).index * 7) % 15));
      const child = await harness.engine.events.emit('load.checked', data);
      children.push(child.context);
    });
    const responses = await Promise.all(
      Array.from({ length: 20 }, async (_, index) => {
        const correlationId = `corr_load_${index}`;
        const response = await fetch(`http://127.0.0.1:${port}/v1/tenants/acme/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
          body: JSON.stringify({ event: 'load.tested', data: { index } }),
        });
        expect(response.status).toBe(201);
        expect(response.headers.get('x-correlation-id')).toBe(correlationId);
        return { correlationId, body: (await response.json()) as { eventId: string; ref: string } };
      }),
    );
    await expect.poll(() => children.length).toBe(20);
    for (const { correlationId, body } of responses) {
      expect(await harness.engine.events.resolve('acme', body.ref)).toMatchObject({ correlationId, eventId: body.eventId });
      expect(children.find((child) => child.parentEventId === body.eventId)?.correlationId).toBe(correlationId);
      const query = await harness.call('POST', '/v1/tenants/acme/context/query', { body: { correlationId } });
      const events = (query.json() as { items: { event: string }[] }).items.map((item) => item.event);
      expect(events.sort()).toEqual(['load.checked', 'load.tested']);
    }
  });
});

describe('unprefixed /v1/context/* and /api/context/*', () => {
  it('take the tenant from the key, or from `tenant` in open mode and for global keys', async () => {
    const { body } = await emit('acme', { event: 'agent.status' });
    const open = await harness.call('POST', '/api/context/resolve', { body: { ref: body.ref } });
    expect(open.statusCode).toBe(400);
    expect((open.json() as { code: string }).code).toBe('tenant_required');
    const named = await harness.call('POST', '/api/context/resolve', { body: { ref: body.ref, tenant: 'acme' } });
    expect(named.json()).toEqual({ ref: body.ref, context: body.context });

    const acmeKey = await harness.key('reader', 'acme');
    const admin = await harness.key('admin', null);
    for (const prefix of ['/v1/context', '/api/context']) {
      const byKey = await harness.call('POST', `${prefix}/resolve`, { body: { ref: body.ref }, token: acmeKey });
      expect(byKey.json()).toEqual({ ref: body.ref, context: body.context });
      const stats = await harness.call('GET', `${prefix}/stats`, { token: acmeKey });
      expect(stats.json()).toMatchObject({ tenantId: 'acme' });
      const byAdmin = await harness.call('POST', `${prefix}/resolve_batch`, {
        body: { refs: [body.ref], tenant: 'acme' },
        token: admin,
      });
      expect(byAdmin.json()).toEqual({ contexts: { [body.ref]: body.context } });
      const unknownTenant = await harness.call('POST', `${prefix}/query`, { body: { tenant: 'nobody' }, token: admin });
      expect(unknownTenant.statusCode).toBe(404);
    }
  });
});

describe('tenant isolation on every gateway route', () => {
  it('never resolves, queries or counts another tenant’s references', async () => {
    const writer = await harness.key('writer', 'acme');
    const { body } = await emit(
      'acme',
      { event: 'secret.thing', context: { correlationId: 'corr_secret', agentId: 'agent_secret', sessionId: 'session_secret' } },
      { token: writer },
    );
    const snapshot = await harness.engine.events.snapshot('orchestration', { secret: true }, { tenantId: 'acme' });
    const globex = await harness.key('admin', 'globex');
    const ref = body.ref;
    // what tenant A's own key sees on the continuity routes: the attempts below would find something
    const chainPath = '/v1/tenants/acme/sessions/session_secret/context-chain';
    const conversationPath = '/v1/tenants/acme/agents/agent_secret/conversation';
    expect((await harness.call('GET', chainPath, { token: writer })).json()).toMatchObject({ items: [{ ref }] });
    expect((await harness.call('GET', conversationPath, { token: writer })).json()).toMatchObject({ conversationStarted: ref });
    const attempts: [string, string, object | undefined][] = [
      ['POST', '/v1/tenants/acme/context/resolve', { ref }],
      ['POST', '/v1/tenants/acme/context/resolve_batch', { refs: [ref] }],
      ['POST', '/v1/tenants/acme/context/query', { correlationId: 'corr_secret' }],
      ['GET', '/v1/tenants/acme/context/stats', undefined],
      ['GET', '/v1/tenants/acme/context/health', undefined],
      ['POST', '/v1/tenants/acme/events', { event: 'x.y' }],
      ['GET', chainPath, undefined],
      ['GET', conversationPath, undefined],
      ['POST', '/v1/tenants/acme/context/recover', { ref: snapshot.ref }],
      ['POST', '/v1/context/resolve', { ref, tenant: 'acme' }],
      ['POST', '/api/context/query', { correlationId: 'corr_secret', tenant: 'acme' }],
      ['GET', '/v1/context/stats?tenant=acme', undefined],
      ['POST', '/v1/context/recover', { ref: snapshot.ref, tenant: 'acme' }],
      ['POST', '/api/context/recover', { ref: snapshot.ref, tenant: 'acme' }],
    ];
    for (const [method, url, requestBody] of attempts) {
      const response = await harness.call(method as 'POST', url, { body: requestBody, token: globex });
      expect(response.statusCode, url).toBe(404);
      expect((response.json() as { code: string }).code, url).toBe('tenant_not_found');
    }
    const own = await harness.call('POST', '/v1/tenants/globex/context/resolve', { body: { ref }, token: globex });
    expect(own.statusCode).toBe(404);
    expect((own.json() as { code: string }).code).toBe('context_not_found');
    const ownBatch = await harness.call('POST', '/v1/context/resolve_batch', { body: { refs: [ref] }, token: globex });
    expect(ownBatch.json()).toEqual({ contexts: { [ref]: null } });
    const ownQuery = await harness.call('POST', '/api/context/query', { body: { correlationId: 'corr_secret' }, token: globex });
    expect(ownQuery.json()).toEqual({ items: [] });
    const ownChain = await harness.call('GET', '/v1/tenants/globex/sessions/session_secret/context-chain', { token: globex });
    expect(ownChain.json()).toEqual({ sessionId: 'session_secret', items: [] });
    const ownConversation = await harness.call('GET', '/v1/tenants/globex/agents/agent_secret/conversation', { token: globex });
    expect(ownConversation.json()).toMatchObject({ status: 'no_events', contexts: [] });
    const recoveredByOwner = await harness.call('POST', '/v1/context/recover', {
      body: { ref: snapshot.ref, reemit: false },
      token: await harness.key('writer', 'acme'),
    });
    expect(recoveredByOwner.json()).toMatchObject({ ref: snapshot.ref, state: { secret: true } });
    for (const url of ['/v1/tenants/globex/context/recover', '/v1/context/recover', '/api/context/recover']) {
      const recovered = await harness.call('POST', url, { body: { ref: snapshot.ref }, token: globex });
      expect(recovered.statusCode, url).toBe(400);
      expect((recovered.json() as { code: string }).code, url).toBe('not_a_snapshot');
    }
    const parent = await harness.call('POST', '/v1/tenants/globex/events', {
      body: { event: 'x.y', parent: ref },
      token: globex,
    });
    expect((parent.json() as { code: string }).code).toBe('unknown_parent_context');
  });
});
