import { describe, expect, it } from 'vitest';
import type { EventContext } from '../../core/event-context.js';
import { contextRefOf } from '../context-ref.js';
import { ContextRefParts } from '../context-ref-parts.js';
import { canonicalCustom } from '../custom-fields.js';
import { type HotEntry, HotTier } from './hot-tier.js';

function entry(index: number, overrides: Partial<EventContext> = {}): { entry: HotEntry; parts: ContextRefParts } {
  const spanId = (index + 1).toString(16).padStart(16, '0');
  const context: EventContext = {
    eventId: `evt_${spanId}`,
    correlationId: `corr_${index % 3}`,
    parentEventId: index % 2 === 0 ? null : `evt_${index.toString(16).padStart(16, '0')}`,
    rootEventId: 'evt_root',
    depth: index % 4,
    agentId: ['planner', 'analyst-agent', null][index % 3] ?? null,
    clientId: 'web',
    sessionId: `session_${index % 2}`,
    originator: null,
    timestamp: new Date(1_700_000_000_000 + index).toISOString(),
    traceId: (index % 5).toString(16).padStart(32, '0'),
    spanId,
    custom: index % 4 === 0 ? { iteration: index } : {},
    ...overrides,
  };
  const event = ['agent:status', 'completion:request', 'tool:result'][index % 3] ?? 'x';
  const parts = new ContextRefParts();
  const ref = contextRefOf('acme', event, context, canonicalCustom(context.custom), parts);
  return { entry: { tenantId: 'acme', ref, event, context }, parts };
}

describe('hot tier inserts', () => {
  it('store the same record whether the router hands over the reference parts or not', () => {
    const withParts = new HotTier();
    const withoutParts = new HotTier();
    const made = Array.from({ length: 60 }, (_, index) =>
      entry(index, index % 7 === 0 ? { eventId: `custom-id-${index}`, spanId: 'not-hex-span' } : {}),
    );
    for (const { entry: item, parts } of made) {
      expect(withParts.insert(item, canonicalCustom(item.context.custom), parts)).toBe(true);
      expect(withoutParts.insert(item)).toBe(true);
    }
    for (const { entry: item } of made) {
      expect(withParts.json('acme', item.ref)).toBe(withoutParts.json('acme', item.ref));
      expect(withParts.get('acme', item.ref)).toEqual(item);
    }
  });

  it('ignores parts that belong to another reference', () => {
    const tier = new HotTier();
    const first = entry(1);
    const second = entry(2);
    expect(tier.insert(second.entry, undefined, first.parts)).toBe(true);
    expect(tier.get('acme', second.entry.ref)).toEqual(second.entry);
    expect(tier.get('acme', first.entry.ref)).toBeUndefined();
  });
});
