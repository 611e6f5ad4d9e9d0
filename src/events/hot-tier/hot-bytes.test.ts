import { describe, expect, it } from 'vitest';
import type { EventContext } from '../../core/event-context.js';
import { contextRefOf } from '../context-ref.js';
import { RECORDS_PER_SEGMENT } from './hot-segment.js';
import { type HotEntry, HotTier } from './hot-tier.js';
import { JsonBytesWriter } from './json-bytes-writer.js';

function entry(sequence: number): HotEntry {
  const spanId = sequence.toString(16).padStart(16, '0');
  const context: EventContext = {
    eventId: `evt_${spanId}`,
    correlationId: `corr_${sequence % 97}`,
    parentEventId: null,
    rootEventId: `evt_${spanId}`,
    depth: 0,
    agentId: `agent_${sequence % 13}`,
    clientId: null,
    sessionId: `session_${sequence % 31}`,
    originator: null,
    timestamp: new Date(1_700_000_000_000 + sequence).toISOString(),
    traceId: '0'.repeat(32),
    spanId,
    custom: sequence % 5 === 0 ? { iteration: sequence % 7 } : {},
  };
  return { tenantId: 'acme', ref: contextRefOf('acme', 'agent.status', context), event: 'agent.status', context };
}

/** A full segment and one more record, then (later) one record that ages every earlier segment out. */
function run(readFirstSegment: boolean): HotTier {
  let now = 0;
  const tier = new HotTier({ now: () => now, maxAgeMs: 1_000 });
  const entries = Array.from({ length: RECORDS_PER_SEGMENT + 1 }, (_, index) => entry(index));
  for (const item of entries) tier.insert(item);
  if (readFirstSegment) {
    const before = tier.bytes;
    // reads make per-segment caches (quoted strings, their bytes) in a segment already counted as full
    for (const item of entries.slice(0, RECORDS_PER_SEGMENT)) {
      tier.json('acme', item.ref);
      tier.writeJson(new JsonBytesWriter(1024), 'acme', item.ref);
    }
    expect(tier.bytes).toBeGreaterThan(before);
  }
  now = 10_000;
  tier.insert(entry(RECORDS_PER_SEGMENT + 1));
  return tier;
}

describe('hot tier size accounting', () => {
  it('counts what reads cache in full segments, and gives exactly that back when they are evicted', () => {
    const read = run(true);
    const unread = run(false);
    expect(read.stats().segments).toBe(1);
    expect(read.bytes).toBe(unread.bytes);
  });
});
