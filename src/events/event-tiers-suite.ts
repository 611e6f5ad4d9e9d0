import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { runInEventScope } from './event-scope.js';
import { createEventService, type EventService } from './event-service.js';
import { eventsConfigSchema } from './events-config.js';

export interface TierSuiteOptions {
  name: string;
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

/** Hot and cold tiers over a real store: ageing, identical answers, durability choices, queries. */
export function describeEventTiers(options: TierSuiteOptions): void {
  describe(`event tiers on ${options.name}`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let now: number;
    let events: EventService;

    beforeEach(async () => {
      ({ store, cleanup } = await options.open());
      await store.tenants.create({ id: 'acme', name: 'Acme', facets: {}, policy: {}, createdAt: new Date().toISOString() });
      await store.tenants.create({ id: 'globex', name: 'Globex', facets: {}, policy: {}, createdAt: new Date().toISOString() });
      now = Date.now();
      events = createEventService({
        store,
        requireTenant: async (tenantId) => {
          if ((await store.tenants.get(tenantId)) === undefined)
            throw Object.assign(new Error('no tenant'), { code: 'tenant_not_found' });
        },
        config: eventsConfigSchema.parse({ hotMaxAgeMs: 60_000, flushIntervalMs: 10 }),
        now: () => now,
      });
    });
    afterEach(async () => {
      await events.close();
      await cleanup();
    });

    it('resolves an aged event from the cold tier with exactly the hot answer', async () => {
      const emitted = await events.emit(
        'agent.status',
        { status: 'active' },
        {
          tenantId: 'acme',
          agentId: 'my_agent',
          sessionId: 'session_123',
          custom: { step: 3, tags: ['a', 'ü'] },
        },
      );
      const fromHot = await events.resolve('acme', emitted.ref);
      expect(fromHot).toEqual(emitted.context);
      await events.flush();
      now += 61_000;
      events.hot.evictExpired();
      expect(events.hot.get('acme', emitted.ref)).toBeUndefined();
      const fromCold = await events.resolve('acme', emitted.ref);
      expect(fromCold).toEqual(fromHot);
      expect((await events.find('acme', emitted.ref))?.data).toEqual({ status: 'active' });
      const stats = await events.stats('acme');
      expect(stats.resolutions).toEqual({ hot: 1, cold: 2, missing: 0 });
      expect(stats.cold.events).toBe(1);
      expect(stats.hot.events).toBe(0);
    });

    it('acknowledges a durable emit only once the cold tier has it; buffers the others within the window', async () => {
      const durable = await events.emit('payment.captured', { amount: 10 }, { tenantId: 'acme' }, { durability: 'acknowledged' });
      expect(await store.eventContexts.get('acme', durable.ref)).toMatchObject({ ref: durable.ref, data: { amount: 10 } });
      const buffered = await events.emit('cursor.moved', { x: 1 }, { tenantId: 'acme' });
      await expect
        .poll(async () => (await store.eventContexts.get('acme', buffered.ref))?.ref, { timeout: 5_000 })
        .toBe(buffered.ref);
    });

    it('resolves batches across both tiers, null for unknown refs and for other tenants', async () => {
      const aged = await events.emit(
        'a.two',
        null,
        { tenantId: 'acme', custom: { 'q"': [1, 'ü'] } },
        { durability: 'acknowledged' },
      );
      events.hot.clear(); // only the cold tier has it now
      const hot = await events.emit('a.one', null, { tenantId: 'acme', agentId: 'say "hi"', custom: { n: 1 } });
      const theirs = await events.emit('b.one', null, { tenantId: 'globex' }, { durability: 'acknowledged' });
      const unknown = `ctx_a_system_${'f'.repeat(24)}`;
      const refs = [hot.ref, aged.ref, theirs.ref, unknown, hot.ref];
      const batch = await events.resolveBatch('acme', refs);
      expect(batch).toEqual({ [hot.ref]: hot.context, [aged.ref]: aged.context, [theirs.ref]: null, [unknown]: null });
      // the JSON form (what resolve_batch sends) is the same answer, each reference once, in order
      const text = await events.resolveBatchJson('acme', refs);
      expect(JSON.parse(text)).toEqual(batch);
      expect(Object.keys(JSON.parse(text))).toEqual([hot.ref, aged.ref, theirs.ref, unknown]);
      await expect(events.resolve('acme', theirs.ref)).rejects.toMatchObject({ code: 'context_not_found' });
      await expect(events.resolveBatch('acme', ['nope'])).rejects.toMatchObject({ code: 'invalid_context_ref' });
      await expect(events.resolveBatchJson('acme', ['nope'])).rejects.toMatchObject({ code: 'invalid_context_ref' });
    });

    it('queries buffered events at once, by correlation, in order', async () => {
      const link = {
        tenantId: 'acme',
        eventId: null,
        rootEventId: null,
        correlationId: 'corr_q',
        depth: -1,
        traceId: 'c'.repeat(32),
        agentId: 'planner',
        clientId: null,
        sessionId: 's9',
        originator: null,
      };
      const emitted = await runInEventScope({ link }, async () => {
        const first = await events.emit('plan.created', { n: 1 }, { timestamp: '2025-01-01T00:00:01Z' });
        const second = await events.emit('plan.revised', { n: 2 }, { timestamp: '2025-01-01T00:00:02Z' });
        return [first, second];
      });
      const page = await events.query('acme', { correlationId: 'corr_q' });
      expect(page.items.map((item) => item.ref)).toEqual(emitted.map((event) => event.ref));
      expect(page.items[1]).toMatchObject({
        event: 'plan.revised',
        data: { n: 2 },
        context: { sessionId: 's9', agentId: 'planner' },
      });
      expect((await events.query('acme', { sessionId: 's9', eventName: 'plan.created' })).items).toHaveLength(1);
      expect((await events.query('globex', { correlationId: 'corr_q' })).items).toEqual([]);
    });
  });
}
