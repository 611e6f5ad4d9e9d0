import { describe, expect, it } from 'vitest';
import type { SyncPoint } from '../../core/injection.js';
import { dedupFilter } from './filters/dedup-filter.js';
import { StreamQueue } from './stream-queue.js';
import { testInjection } from './test-injection.test-support.js';

const idsOf = (injections: Array<{ id: string }>) => injections.map((injection) => injection.id);

describe('StreamQueue', () => {
  it('never releases anything but immediate injections at a sentence end while a turn is in progress', () => {
    const queue = new StreamQueue();
    queue.input({ type: 'turn-start', role: 'assistant' }, 0);
    for (const at of ['turn-end', 'silence', 'immediate'] as SyncPoint[]) {
      expect(queue.offer(testInjection({ id: at, at }), 1).due).toEqual([]);
    }
    const inside = [
      queue.input({ type: 'message', role: 'assistant', content: 'Hello' }, 2),
      queue.input({ type: 'silence', ms: 100 }, 3),
      queue.input({ type: 'event', name: 'x' }, 4),
      queue.input({ type: 'state', system: 'high-load' }, 5),
    ];
    expect(inside.flat()).toEqual([]);
    expect(idsOf(queue.input({ type: 'sentence-end' }, 6))).toEqual(['immediate']);
    expect(queue.input({ type: 'silence', ms: 5_000 }, 7)).toEqual([]);
    expect(idsOf(queue.input({ type: 'turn-end' }, 8))).toEqual(['turn-end']);
    expect(idsOf(queue.input({ type: 'silence', ms: 1_000 }, 9))).toEqual(['silence']);
    expect(queue.buffer.size).toBe(0);
  });

  it('releases immediate injections at once between turns, others at their point', () => {
    const queue = new StreamQueue();
    expect(idsOf(queue.offer(testInjection({ id: 'now', at: 'immediate' }), 0).due)).toEqual(['now']);
    expect(queue.offer(testInjection({ id: 'later', at: 'turn-end' }), 0).due).toEqual([]);
    expect(idsOf(queue.input({ type: 'message', role: 'user', content: 'hi' }, 1))).toEqual(['later']);
  });

  it('drops what the filters reject at release and counts it with the reason', () => {
    const outcomes: string[] = [];
    const queue = new StreamQueue({
      filters: [dedupFilter({ windowMs: 60_000 })],
      onOutcome: (injection, outcome, reason) => outcomes.push(`${injection.id}:${outcome}:${reason}`),
    });
    queue.offer(testInjection({ id: 'first', contentHash: 'same' }), 0);
    queue.offer(testInjection({ id: 'second', contentHash: 'same' }), 0);
    expect(idsOf(queue.input({ type: 'turn-end' }, 1))).toEqual(['first']);
    expect(outcomes).toEqual(['second:dropped:filtered:dedup']);
    expect(queue.counts()).toEqual({ 'dropped:filtered:dedup': 1 });
  });

  it('counts buffer drops and expiries through the same listener', () => {
    const queue = new StreamQueue({ buffer: { maxItems: 1 } });
    queue.offer(testInjection({ id: 'keep', priority: 80, expiresAt: 10 }), 0);
    queue.offer(testInjection({ id: 'lose', priority: 10 }), 0);
    queue.input({ type: 'turn-start' }, 20);
    expect(queue.counts()).toEqual({ 'dropped:overflow': 1, 'expired:ttl': 1 });
  });

  it('takes a requeued injection back and releases it again despite dedup', () => {
    const queue = new StreamQueue({ filters: [dedupFilter({ lastK: 4 })] });
    const injection = testInjection({ id: 'again' });
    queue.offer(injection, 0);
    expect(idsOf(queue.input({ type: 'turn-end' }, 1))).toEqual(['again']);
    expect(queue.requeue(injection, 2)).toBe(true);
    expect(idsOf(queue.input({ type: 'turn-end' }, 3))).toEqual(['again']);
  });
});
