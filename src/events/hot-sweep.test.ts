import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory/create-memory-store.js';
import type { Store } from '../store/store.js';
import { createEventService, type EventService, hotSweepIntervalMs } from './event-service.js';
import { eventsConfigSchema } from './events-config.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the hot tier sweep', () => {
  let store: Store;
  let events: EventService;
  let now: number;

  beforeEach(async () => {
    store = createMemoryStore();
    await store.tenants.create({ id: 'acme', name: 'Acme', facets: {}, policy: {}, createdAt: new Date().toISOString() });
    now = Date.now();
    events = createEventService({
      store,
      requireTenant: async () => undefined,
      config: eventsConfigSchema.parse({ hotMaxAgeMs: 1000, flushIntervalMs: 10 }),
      now: () => now,
    });
  });
  afterEach(async () => {
    await events.close();
    await store.close();
  });

  it('moves aged events out of the hot tier while nothing new is emitted; they resolve from cold', async () => {
    const emitted = await events.emit('agent.status', null, { tenantId: 'acme' }, { durability: 'acknowledged' });
    expect(events.hot.sizeOf('acme')).toBe(1);
    now += 2_000; // older than the age limit, and no insert to trigger an eviction
    for (let waited = 0; events.hot.sizeOf('acme') > 0 && waited < 10_000; waited += 50) await sleep(50);
    expect(events.hot.sizeOf('acme')).toBe(0);
    expect(events.hot.stats().evicted).toBe(1);
    expect(await events.resolve('acme', emitted.ref)).toEqual(emitted.context);
  });

  it('sweeps a quarter of the age limit apart, between 250 ms and a minute', () => {
    expect(hotSweepIntervalMs(1000)).toBe(250);
    expect(hotSweepIntervalMs(120_000)).toBe(30_000);
    expect(hotSweepIntervalMs(24 * 3_600_000)).toBe(60_000);
  });
});
