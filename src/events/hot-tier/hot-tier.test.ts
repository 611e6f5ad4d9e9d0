import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventContext } from '../../core/event-context.js';
import { contextRefOf } from '../context-ref.js';
import { type HotEntry, HotTier } from './hot-tier.js';

let sequence = 0;

function entry(tenantId: string, overrides: Partial<EventContext> = {}, event = 'agent.status'): HotEntry {
  sequence += 1;
  const spanId = sequence.toString(16).padStart(16, '0');
  const eventId = overrides.eventId ?? `evt_${spanId}`;
  const context: EventContext = {
    eventId,
    correlationId: `corr_${sequence % 7}`,
    parentEventId: sequence % 3 === 0 ? null : `evt_${(sequence - 1).toString(16).padStart(16, '0')}`,
    rootEventId: sequence % 3 === 0 ? eventId : 'evt_root',
    depth: sequence % 5,
    agentId: sequence % 2 === 0 ? 'analyst-agent' : null,
    clientId: null,
    sessionId: `session_${sequence % 4}`,
    originator: sequence % 11 === 0 ? 'orchestrator' : null,
    timestamp: new Date(1_700_000_000_000 + sequence).toISOString(),
    traceId: (sequence % 13).toString(16).padStart(32, '0'),
    spanId,
    custom: {},
    ...overrides,
  };
  return { tenantId, ref: contextRefOf(tenantId, event, context), event, context };
}

describe('hot tier', () => {
  it('gives back exactly what it was given, whatever the field shapes', () => {
    const tier = new HotTier();
    const entries = [
      entry('acme'),
      entry('acme', { eventId: 'completion_request_456', rootEventId: 'completion_request_456', spanId: 'not-a-span' }),
      entry('acme', { custom: { iteration: 2, nested: { list: [1, 'ü', null, true] } }, parentEventId: 'custom parent ✓' }),
      entry('globex', { agentId: 'Ünïcode agent', clientId: 'c', sessionId: null, originator: 'o', depth: 300 }),
      entry('acme', { timestamp: '1999-12-31T23:59:59.999Z' }, 'completion:request'),
      entry('acme', { eventId: 'say "hi"\\', parentEventId: 'p"\\', rootEventId: 'r"', correlationId: 'c"\u2028', spanId: 's"' }),
      entry('acme', {
        agentId: 'a"b',
        clientId: 'c\\d',
        sessionId: 's"',
        originator: 'o\\',
        traceId: 't"',
        custom: { 'k"': 'v\\"' },
      }),
    ];
    for (const item of entries) expect(tier.insert(item)).toBe(true);
    for (const item of entries) expect(tier.get(item.tenantId, item.ref)).toEqual(item);
    for (const item of entries) expect(JSON.parse(tier.json(item.tenantId, item.ref) ?? 'null')).toEqual(item.context);
    expect(tier.insert(entries[0] as HotEntry)).toBe(false);
    expect(tier.size).toBe(entries.length);
    expect(tier.sizeOf('acme')).toBe(6);
    expect([...tier.entries()]).toEqual(entries);
  });

  it('answers only the owning tenant and only the exact reference', () => {
    const tier = new HotTier();
    const item = entry('acme');
    tier.insert(item);
    expect(tier.get('globex', item.ref)).toBeUndefined();
    const hash = item.ref.slice(-24);
    expect(tier.get('acme', `ctx_forged_agent_${hash}`)).toBeUndefined();
    expect(tier.get('acme', `ctx_agent_system_${'0'.repeat(24)}`)).toBeUndefined();
    expect(tier.get('acme', 'ctx_short')).toBeUndefined();
    expect(tier.json('globex', item.ref)).toBeUndefined();
    expect(tier.json('acme', `ctx_forged_agent_${hash}`)).toBeUndefined();
  });

  it('evicts the oldest segments by count and by age, and keeps finding the rest', () => {
    let now = 0;
    const tier = new HotTier({ maxEvents: 8192, maxAgeMs: 1000, now: () => now });
    const items = Array.from({ length: 20_000 }, () => entry('acme'));
    for (const item of items) tier.insert(item);
    expect(tier.size).toBeLessThanOrEqual(8192 + 4096);
    const kept = items.filter((item) => tier.get('acme', item.ref) !== undefined);
    expect(kept.length).toBe(tier.size);
    // whatever is kept is the newest run of records
    expect(kept).toEqual(items.slice(items.length - kept.length));
    for (const item of kept) expect(tier.get('acme', item.ref)).toEqual(item);
    now = 500;
    const late = entry('acme');
    tier.insert(late);
    now = 1_200;
    tier.evictExpired();
    expect(tier.get('acme', late.ref)).toEqual(late);
    expect(tier.get('acme', (kept[0] as HotEntry).ref)).toBeUndefined();
    now = 10_000;
    tier.evictExpired();
    expect(tier.size).toBe(0);
    expect(tier.sizeOf('acme')).toBe(0);
    expect(tier.get('acme', late.ref)).toBeUndefined();
    expect(tier.stats().evicted).toBe(items.length + 1);
  });

  it('behaves like a map under random inserts and evictions (model test)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant('insert'), fc.constant('insert'), fc.constant('tick'))), (steps) => {
        let now = 0;
        const tier = new HotTier({ maxEvents: 4096, maxAgeMs: 50, now: () => now });
        const model: { item: HotEntry; at: number }[] = [];
        for (const step of steps) {
          if (step === 'tick') now += 20;
          else {
            const item = entry(now % 40 === 0 ? 'acme' : 'globex');
            tier.insert(item);
            model.push({ item, at: now });
          }
        }
        tier.evictExpired();
        for (const { item, at } of model) {
          const found = tier.get(item.tenantId, item.ref);
          if (found !== undefined) expect(found).toEqual(item);
          // an item of the newest segment inserted within the age limit is never lost
          if (at === now) expect(found).toEqual(item);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('gives back any timestamp exactly (its own ISO formatting agrees with Date)', () => {
    const tier = new HotTier();
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), (ms) => {
        const item = entry('acme', { timestamp: new Date(ms).toISOString() });
        tier.insert(item);
        expect(tier.get('acme', item.ref)?.context.timestamp).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000 },
    );
  });
});
