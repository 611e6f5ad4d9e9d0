import { describe, expect, it } from 'vitest';
import type { EventContext } from '../../core/event-context.js';
import { contextRefOf } from '../context-ref.js';
import { hexWord } from './hot-hex.js';
import { type HotEntry, HotTier } from './hot-tier.js';

function entry(tenantId: string, sequence: number, custom: EventContext['custom']): HotEntry {
  const spanId = sequence.toString(16).padStart(16, '0');
  const context: EventContext = {
    eventId: `evt_${spanId}`,
    correlationId: 'corr_1',
    parentEventId: null,
    rootEventId: `evt_${spanId}`,
    depth: 0,
    agentId: null,
    clientId: null,
    sessionId: null,
    originator: null,
    timestamp: new Date(1_700_000_000_000 + sequence).toISOString(),
    traceId: '0'.repeat(32),
    spanId,
    custom,
  };
  return { tenantId, ref: contextRefOf(tenantId, 'agent.status', context), event: 'agent.status', context };
}

describe('hot tier reads', () => {
  it('returns new objects every time, custom fields included (callers may change them)', () => {
    const tier = new HotTier();
    const flat = entry('acme', 1, { iteration: 3, label: 'x' });
    const nested = entry('acme', 2, { inner: { list: [1] } });
    const empty = entry('acme', 3, {});
    for (const item of [flat, nested, empty]) tier.insert(item);
    for (const item of [flat, nested, empty]) {
      const first = tier.get('acme', item.ref) as HotEntry;
      first.context.custom.added = true;
      first.context.depth = 99;
      (first.context.custom.inner as { list?: number[] } | undefined)?.list?.push(2);
      const second = tier.get('acme', item.ref) as HotEntry;
      expect(second).toEqual(item);
      expect(second).not.toBe(first);
      expect(second.context.custom).not.toBe(first.context.custom);
    }
  });

  it('answers has() like get() without decoding', () => {
    const tier = new HotTier();
    const item = entry('acme', 4, {});
    tier.insert(item);
    expect(tier.has('acme', item.ref)).toBe(true);
    expect(tier.has('globex', item.ref)).toBe(false);
    expect(tier.has('acme', `ctx_forged_x_${item.ref.slice(-24)}`)).toBe(false);
  });

  it('parses hash words of lower-case hex only', () => {
    expect(hexWord('00ff10ab', 0)).toBe(0x00ff10ab);
    expect(hexWord('ffffffff', 0)).toBe(0xffffffff);
    for (const bad of ['00FF10ab', '00ff10a', '00ff10a-', '00ff10a\u0130', '00ff10a\u00e1', '0xff10ab']) {
      expect(hexWord(bad, 0)).toBe(-1);
    }
  });
});
