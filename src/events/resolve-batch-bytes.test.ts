import { describe, expect, it } from 'vitest';
import type { EventContext, EventRecord } from '../core/event-context.js';
import { MemoryEventContextStore } from '../store/memory/memory-event-context-store.js';
import type { ColdWriter } from './cold-writer.js';
import { ContextGateway } from './context-gateway.js';
import { contextRefOf } from './context-ref.js';
import { EventCounters } from './event-counters.js';
import { type HotEntry, HotTier } from './hot-tier/hot-tier.js';
import { JsonBytesWriter } from './hot-tier/json-bytes-writer.js';

const GENERATED = (sequence: number) => sequence.toString(16).padStart(16, '0');

function context(sequence: number, overrides: Partial<EventContext>): EventContext {
  const spanId = GENERATED(sequence);
  return {
    eventId: `evt_${spanId}`,
    correlationId: `corr_${sequence % 3}`,
    parentEventId: null,
    rootEventId: `evt_${spanId}`,
    depth: 0,
    agentId: 'agent_a',
    clientId: 'client_a',
    sessionId: 'session_a',
    originator: 'user',
    timestamp: new Date(1_700_000_000_000 + sequence * 7).toISOString(),
    traceId: 'ab'.repeat(16),
    spanId,
    custom: {},
    ...overrides,
  };
}

function entry(tenantId: string, sequence: number, overrides: Partial<EventContext> = {}): HotEntry {
  const value = context(sequence, overrides);
  const event = sequence % 2 === 0 ? 'agent.status' : 'tool:called';
  return { tenantId, ref: contextRefOf(tenantId, event, value), event, context: value };
}

/** Records covering every way the hot tier stores an id or a string, and text that JSON must escape. */
function variedEntries(tenantId: string): HotEntry[] {
  return [
    entry(tenantId, 1),
    entry(tenantId, 2, { agentId: null, clientId: null, sessionId: null, originator: null }),
    entry(tenantId, 3, { parentEventId: `evt_${GENERATED(1)}`, rootEventId: `evt_${GENERATED(1)}`, depth: 12 }),
    entry(tenantId, 4, { parentEventId: 'parent "quoted" \\ é', rootEventId: 'root\u2028ü', depth: 1 }),
    entry(tenantId, 5, { eventId: 'my-event-ü', spanId: 'span\twith\ncontrols\u0001' }),
    entry(tenantId, 6, { spanId: 'text-span-日本', rootEventId: 'evt_text-span-日本' }),
    entry(tenantId, 7, { spanId: 'span"needs\\escape', rootEventId: 'evt_span"needs\\escape' }),
    entry(tenantId, 8, { eventId: 'plain-text-id', parentEventId: 'plain-parent' }),
    entry(tenantId, 9, { custom: { iteration: 3, label: 'x "y"', ok: true, none: null } }),
    entry(tenantId, 10, { custom: { inner: { list: [1, 'ü', { deep: '\u0000' }] }, 'k"ey': 'v\u2029' } }),
    entry(tenantId, 11, {
      correlationId: 'corr "ü" \u0007',
      agentId: 'agent é',
      clientId: 'client\\',
      sessionId: '😀 session',
      originator: 'o\u001f',
      traceId: 'trace\r\n',
      timestamp: '2024-02-29T23:59:59.999Z',
    }),
    entry(tenantId, 12, { timestamp: new Date(1_700_000_000_000 + 12 * 7).toISOString() }),
  ];
}

function gatewayOver(hot: HotTier, store = new MemoryEventContextStore()): { gateway: ContextGateway; counters: EventCounters } {
  const counters = new EventCounters();
  const cold = { flush: async () => {} } as unknown as ColdWriter;
  const gateway = new ContextGateway({ hot, cold, store, counters, requireTenant: async () => {} });
  return { gateway, counters };
}

describe('the hot tier written as JSON bytes', () => {
  it('writes exactly the UTF-8 of its JSON text, which parses back to each context', () => {
    const tier = new HotTier();
    const entries = variedEntries('acme');
    for (const item of entries) expect(tier.insert(item)).toBe(true);
    // twice: the second pass copies the bytes each segment made on first use
    for (let pass = 0; pass < 2; pass += 1) {
      const writer = new JsonBytesWriter(16);
      for (const item of entries) {
        const start = writer.length;
        expect(tier.writeJson(writer, 'acme', item.ref)).toBe(true);
        const bytes = writer.result().subarray(start);
        const text = tier.json('acme', item.ref) as string;
        expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
        expect(JSON.parse(bytes.toString('utf8'))).toEqual(item.context);
      }
    }
    const writer = new JsonBytesWriter(16);
    const first = entries[0] as HotEntry;
    expect(tier.writeJson(writer, 'globex', first.ref)).toBe(false);
    expect(tier.writeJson(writer, 'acme', `ctx_forged_x_${first.ref.slice(-24)}`)).toBe(false);
    expect(tier.writeJson(writer, 'acme', `ctx_a_b_${'0'.repeat(24)}`)).toBe(false);
    expect(writer.length).toBe(0);
  });

  it('counts the bytes it keeps per segment in the tier size', () => {
    const tier = new HotTier();
    for (const item of variedEntries('acme')) tier.insert(item);
    const before = tier.bytes;
    const writer = new JsonBytesWriter(16);
    for (const item of variedEntries('acme')) tier.writeJson(writer, 'acme', item.ref);
    expect(tier.bytes).toBeGreaterThan(before);
  });
});

describe('ContextGateway.resolveBatchBytes', () => {
  it('answers the bytes of resolveBatchJson, hot and cold, each reference once, in order', async () => {
    const hot = new HotTier();
    const entries = variedEntries('acme');
    for (const item of entries.slice(0, 10)) hot.insert(item);
    const store = new MemoryEventContextStore();
    const coldOnly = entries.slice(10);
    const theirs = entry('globex', 40);
    const records: EventRecord[] = [...coldOnly, theirs].map((item) => ({ ...item, data: null }));
    await store.putMany(records);
    const { gateway, counters } = gatewayOver(hot, store);
    const unknown = `ctx_a_system_${'f'.repeat(24)}`;
    const refs = entries.map((item) => item.ref).reverse();
    refs.splice(3, 0, unknown, theirs.ref, refs[0] as string, (coldOnly[0] as HotEntry).ref);

    const text = await gateway.resolveBatchJson('acme', refs);
    const afterText = { ...counters.of('acme') };
    const bytes = await gateway.resolveBatchBytes('acme', refs);
    expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
    const answer = JSON.parse(bytes.toString('utf8')) as Record<string, EventContext | null>;
    expect(answer).toEqual(await gateway.resolveBatch('acme', refs));
    expect(Object.keys(answer)).toEqual([...new Set(refs)]);
    expect(answer[unknown]).toBeNull();
    expect(answer[theirs.ref]).toBeNull();
    // counted as resolveBatchJson counts: 10 hot, 2 cold, 2 missing
    expect(afterText).toMatchObject({ hotHits: 10, coldHits: 2, misses: 2 });
    expect(counters.of('acme')).toMatchObject({ hotHits: 30, coldHits: 6, misses: 6 });

    const wrapped = await gateway.resolveBatchBytes('acme', refs, { before: '{"contexts":', after: '}' });
    expect(wrapped.toString('utf8')).toBe(`{"contexts":${text}}`);
    expect((await gateway.resolveBatchBytes('acme', [])).toString()).toBe('{}');
    expect((await gateway.resolveBatchBytes('acme', [unknown])).toString()).toBe(`{"${unknown}":null}`);
  });

  it('rejects a bad reference or too many before counting anything', async () => {
    const hot = new HotTier();
    const item = entry('acme', 1);
    hot.insert(item);
    const { gateway, counters } = gatewayOver(hot);
    await expect(gateway.resolveBatchBytes('acme', [item.ref, 'nope'])).rejects.toMatchObject({ code: 'invalid_context_ref' });
    await expect(gateway.resolveBatchBytes('acme', [item.ref, 42 as unknown as string])).rejects.toMatchObject({
      code: 'invalid_context_ref',
    });
    await expect(gateway.resolveBatchBytes('acme', Array(1001).fill(item.ref))).rejects.toMatchObject({ code: 'too_many_refs' });
    expect(counters.of('acme')).toMatchObject({ hotHits: 0, coldHits: 0, misses: 0 });
  });

  it('grows its buffer for answers larger than the last batch', async () => {
    const hot = new HotTier();
    const small = entry('acme', 1);
    const large = entry('acme', 2, { custom: { text: 'x'.repeat(20_000), nested: { list: ['ü'.repeat(3000)] } } });
    hot.insert(small);
    hot.insert(large);
    const { gateway } = gatewayOver(hot);
    await gateway.resolveBatchBytes('acme', [small.ref]);
    const refs = [small.ref, large.ref];
    const bytes = await gateway.resolveBatchBytes('acme', refs);
    expect(bytes.equals(Buffer.from(await gateway.resolveBatchJson('acme', refs), 'utf8'))).toBe(true);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(await gateway.resolveBatch('acme', refs));
  });
});
