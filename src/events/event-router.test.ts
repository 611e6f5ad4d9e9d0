import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventContext } from '../core/event-context.js';
import { createEngine, type Engine } from '../engine.js';
import { DEPTH_EXCEEDED_EVENT, type EmittedEvent } from './event-router.js';
import { getEventContext, runInEventScope, tryGetEventContext } from './event-scope.js';
import { linkFromTraceHeaders, traceHeadersOf } from './traceparent.js';

let engine: Engine;

beforeEach(async () => {
  engine = await createEngine({ databaseUrl: 'memory:' });
  await engine.tenants.create({ id: 'acme' });
  await engine.tenants.create({ id: 'globex' });
});
afterEach(() => engine.close());

/** Collects the contexts of every stored event of one name. */
function collect(name: string): EventContext[] {
  const seen: EventContext[] = [];
  engine.events.subscribe((record) => {
    if (record.event === name) seen.push(record.context);
  });
  return seen;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function expectChildOf(child: EventContext, parent: EventContext): void {
  expect(child.parentEventId).toBe(parent.eventId);
  expect(child.rootEventId).toBe(parent.rootEventId);
  expect(child.depth).toBe(parent.depth + 1);
  expect(child.correlationId).toBe(parent.correlationId);
  expect(child.traceId).toBe(parent.traceId);
}

describe('implicit propagation (AsyncLocalStorage)', () => {
  it('makes events emitted in a handler children, across await, timers and promise fan-out', async () => {
    const children = collect('step.done');
    const grandchildren = collect('step.checked');
    engine.events.on('job.started', async (_data, context) => {
      expect(getEventContext()).toEqual(context);
      await sleep(1);
      await engine.events.emit('step.done', { via: 'await' });
      setTimeout(() => void engine.events.emit('step.done', { via: 'timer' }), 2);
      await Promise.all([1, 2, 3].map(async (index) => engine.events.emit('step.done', { via: 'fan-out', index })));
    });
    engine.events.on('step.done', async () => {
      await sleep(1);
      await engine.events.emit('step.checked', null);
    });
    const root = await engine.events.emit('job.started', { job: 1 }, { tenantId: 'acme', agentId: 'planner', sessionId: 's1' });
    expect(root.context.depth).toBe(0);
    expect(root.context.parentEventId).toBeNull();
    expect(root.context.rootEventId).toBe(root.eventId);
    await expect.poll(() => grandchildren.length).toBe(5);
    expect(children).toHaveLength(5);
    for (const child of children) {
      expectChildOf(child, root.context);
      expect(child.agentId).toBe('planner');
      expect(child.sessionId).toBe('s1');
    }
    for (const grandchild of grandchildren) {
      const parent = children.find((child) => child.eventId === grandchild.parentEventId);
      expect(parent).toBeDefined();
      if (parent) expectChildOf(grandchild, parent);
      expect(grandchild.rootEventId).toBe(root.eventId);
      expect(grandchild.depth).toBe(2);
    }
    expect(tryGetEventContext()).toBeUndefined();
    expect(() => getEventContext()).toThrow(/inside an event handler/);
  });

  it('keeps concurrent requests apart (no bleed between scopes)', async () => {
    const requests = Array.from({ length: 20 }, (_, index) => ({
      correlationId: `corr_request_${index}`,
      traceId: index.toString(16).padStart(32, '0'),
    }));
    const results = await Promise.all(
      requests.map((request, index) =>
        runInEventScope(
          {
            link: {
              tenantId: 'acme',
              eventId: null,
              rootEventId: null,
              correlationId: request.correlationId,
              depth: -1,
              traceId: request.traceId,
              agentId: null,
              clientId: null,
              sessionId: null,
              originator: null,
            },
          },
          async () => {
            const emitted: EmittedEvent[] = [];
            for (let step = 0; step < 3; step++) {
              await sleep((index * 7 + step) % 3);
              emitted.push(await engine.events.emit('request.step', { step }));
            }
            return emitted;
          },
        ),
      ),
    );
    results.forEach((emitted, index) => {
      for (const event of emitted) {
        expect(event.context.correlationId).toBe(`corr_request_${index}`);
        expect(event.context.traceId).toBe(requests[index]?.traceId);
        expect(event.context.depth).toBe(0);
        expect(event.context.parentEventId).toBeNull();
      }
    });
  });

  it('ignores an implicit parent of another tenant and starts a new chain', async () => {
    const seen = collect('other.tenant');
    engine.events.on('acme.thing', () => engine.events.emit('other.tenant', null, { tenantId: 'globex' }));
    await engine.events.emit('acme.thing', null, { tenantId: 'acme' });
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]?.depth).toBe(0);
    expect(seen[0]?.parentEventId).toBeNull();
  });
});

describe('explicit propagation', () => {
  it('lets a handler pass its context on and enrich the children (a foreach)', async () => {
    const items = collect('order.item_checked');
    engine.events.on('order.placed', async (data, context) => {
      const lines = (data as { lines: string[] }).lines;
      for (const [index, line] of lines.entries()) {
        await engine.events.emit(
          'order.item_checked',
          { line },
          { parent: context, custom: { iteration: index, of: lines.length } },
        );
      }
    });
    const order = await engine.events.emit('order.placed', { lines: ['a', 'b', 'c'] }, { tenantId: 'acme', clientId: 'web' });
    await expect.poll(() => items.length).toBe(3);
    items.forEach((item, index) => {
      expectChildOf(item, order.context);
      expect(item.clientId).toBe('web');
      expect(item.custom).toEqual({ iteration: index, of: 3 });
    });
  });

  it('starts a new root with parent: null, even inside a handler', async () => {
    const roots = collect('fresh.start');
    engine.events.on('some.event', () => engine.events.emit('fresh.start', null, { parent: null, correlationId: 'corr_new' }));
    await engine.events.emit('some.event', null, { tenantId: 'acme' });
    await expect.poll(() => roots.length).toBe(1);
    expect(roots[0]).toMatchObject({ depth: 0, parentEventId: null, correlationId: 'corr_new' });
    expect(roots[0]?.rootEventId).toBe(roots[0]?.eventId);
  });

  it('continues a trace from traceparent and baggage, and without baggage from traceparent alone', async () => {
    const parent = await engine.events.emit('api.called', null, { tenantId: 'acme', correlationId: 'corr_456' });
    const headers = traceHeadersOf(parent.context);
    expect(headers.traceparent).toBe(`00-${parent.context.traceId}-${parent.context.spanId}-01`);
    const child = await engine.events.emit('api.handled', null, { tenantId: 'acme', ...headers });
    expectChildOf(child.context, parent.context);

    const external = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const joined = await engine.events.emit('otel.joined', null, { tenantId: 'acme', traceparent: external });
    expect(joined.context).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentEventId: 'evt_00f067aa0ba902b7',
      rootEventId: 'evt_00f067aa0ba902b7',
      correlationId: 'corr_4bf92f3577b34da6a3ce929d0e0e4736',
      depth: 1,
    });
    expect(
      linkFromTraceHeaders('acme', { traceparent: 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }),
    ).toBeUndefined();
    expect(linkFromTraceHeaders('acme', { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01` })).toBeUndefined();
    await expect(engine.events.emit('bad.trace', null, { tenantId: 'acme', traceparent: 'nonsense' })).rejects.toMatchObject({
      code: 'invalid_traceparent',
    });
  });
});

describe('references', () => {
  it('gives identical contexts one reference, and different ones different references', async () => {
    const context = {
      tenantId: 'acme',
      eventId: 'completion_request_456',
      timestamp: '2025-01-01T00:00:00Z',
      agentId: 'my_agent',
    };
    const first = await engine.events.emit('completion:request', { n: 1 }, { ...context, parent: null, correlationId: 'corr_1' });
    expect(first.ref).toMatch(/^ctx_completion_my_agent_[0-9a-f]{24}$/);
    expect(first.deduplicated).toBe(false);
    // the same event again (a retry: same id, timestamp and parent): the identical context, one reference
    const again = await engine.events.emit('completion:request', { n: 1 }, { ...context, parent: null, correlationId: 'corr_1' });
    expect(again.ref).toBe(first.ref);
    expect(again.context).toEqual(first.context);
    expect(again.deduplicated).toBe(true);
    expect(await engine.events.router.storeRecord(first)).toBe(false);
    const other = await engine.events.emit('completion:request', { n: 1 }, { ...context, parent: null, correlationId: 'corr_2' });
    expect(other.ref).not.toBe(first.ref);
    const stats = await engine.events.stats('acme');
    expect(stats.deduplicated).toBe(2);
    expect(stats.dedupRatio).toBeGreaterThan(1);
  });

  it('derives the ids of an event whose id the caller chose: per trace and per tenant, never random', async () => {
    const at = { eventId: 'evt_fixed', timestamp: '2025-01-01T00:00:00Z', parent: null };
    const root = await engine.events.emit('job.started', null, { tenantId: 'acme', ...at });
    expect(root.context.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.context.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(root.context.correlationId).toBe(`corr_${root.context.traceId}`);
    // another tenant's event of the same id is another trace (and another reference)
    const elsewhere = await engine.events.emit('job.started', null, { tenantId: 'globex', ...at });
    expect(elsewhere.context.traceId).not.toBe(root.context.traceId);
    expect(elsewhere.ref).not.toBe(root.ref);
    // under a parent the trace is inherited and the span derived from it: a retry of the child is the same child
    const child = await engine.events.emit('job.step', null, {
      tenantId: 'acme',
      eventId: 'step_1',
      timestamp: at.timestamp,
      parent: root.context,
    });
    const retried = await engine.events.emit('job.step', null, {
      tenantId: 'acme',
      eventId: 'step_1',
      timestamp: at.timestamp,
      parent: root.context,
    });
    expect(child.context.traceId).toBe(root.context.traceId);
    expect(retried.ref).toBe(child.ref);
    expect(retried.deduplicated).toBe(true);
    // without a chosen id every emit is a new event, even with everything else equal
    const one = await engine.events.emit('job.ping', null, { tenantId: 'acme', timestamp: at.timestamp, parent: null });
    const two = await engine.events.emit('job.ping', null, { tenantId: 'acme', timestamp: at.timestamp, parent: null });
    expect(two.ref).not.toBe(one.ref);
    expect(two.deduplicated).toBe(false);
  });
});

describe('depth limit', () => {
  it('stops a loop at depth 32 with an event.depth_exceeded error event', async () => {
    const errors: unknown[] = [];
    engine.events.onHandlerError((error) => errors.push(error));
    const exceeded = collect(DEPTH_EXCEEDED_EVENT);
    engine.events.on('loop.tick', () => engine.events.emit('loop.tick', null));
    const root = await engine.events.emit('loop.tick', null, { tenantId: 'acme', correlationId: 'corr_loop' });
    await expect.poll(() => exceeded.length).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'event_depth_exceeded', details: { depth: 33, limit: 32 } });
    expect(exceeded[0]).toMatchObject({ correlationId: 'corr_loop', rootEventId: root.eventId, depth: 33 });
    const ticks = await engine.events.query('acme', { correlationId: 'corr_loop', eventName: 'loop.tick', limit: 100 });
    // oldest first by timestamp, then ref: events of one millisecond come in ref order
    const depths = ticks.items.map((item) => item.context.depth).sort((left, right) => left - right);
    expect(depths).toEqual(Array.from({ length: 33 }, (_, depth) => depth));
    const recorded = await engine.events.query('acme', { correlationId: 'corr_loop', eventName: DEPTH_EXCEEDED_EVENT });
    expect(recorded.items[0]?.data).toMatchObject({ event: 'loop.tick', depth: 33, limit: 32 });
  });
});

describe('bad input', () => {
  it('refuses bad names, unknown tenants, missing tenants and bad fields, storing nothing', async () => {
    const before = (await engine.events.stats('acme')).emitted; // tenant.created
    await expect(engine.events.emit('', null, { tenantId: 'acme' })).rejects.toMatchObject({ code: 'invalid_event_name' });
    await expect(engine.events.emit('a b', null, { tenantId: 'acme' })).rejects.toMatchObject({ code: 'invalid_event_name' });
    await expect(engine.events.emit('x.y', null, { tenantId: 'nobody' })).rejects.toMatchObject({ code: 'tenant_not_found' });
    await expect(engine.events.emit('x.y', null)).rejects.toMatchObject({ code: 'event_tenant_required' });
    await expect(engine.events.emit('x.y', null, { tenantId: 'acme', agentId: '' })).rejects.toMatchObject({
      code: 'invalid_event_context',
    });
    await expect(
      engine.events.emit('x.y', null, { tenantId: 'acme', custom: { when: new Date() } as never }),
    ).rejects.toMatchObject({ code: 'invalid_custom_fields' });
    await expect(engine.events.emit('x.y', null, { tenantId: 'acme', timestamp: 'soon' })).rejects.toMatchObject({
      code: 'invalid_timestamp',
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(engine.events.emit('x.y', cyclic, { tenantId: 'acme' })).rejects.toMatchObject({ code: 'invalid_event_data' });
    expect((await engine.events.stats('acme')).emitted).toBe(before);
    expect((await engine.events.query('acme', {})).items.filter((item) => item.event === 'x.y')).toEqual([]);
  });
});
