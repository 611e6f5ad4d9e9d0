import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Injection } from '../../core/injection.js';
import { Deliverer } from '../resilience/deliverer.js';
import type { Sink } from '../resilience/sink.js';
import { StreamQueue } from './stream-queue.js';
import { testInjection } from './test-injection.test-support.js';

/** Fails while `failing` is set; records what it accepted. */
class SwitchSink implements Sink {
  readonly id = 'stream-sink';
  failing = true;
  readonly accepted: string[] = [];
  async send(injection: Injection): Promise<void> {
    if (this.failing) throw new Error('busy');
    this.accepted.push(injection.id);
  }
}

describe('StreamQueue with a Deliverer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a helpful injection handed back is re-queued, delivered at the next turn end, or expires with its TTL', async () => {
    const queue = new StreamQueue();
    const deliverer = new Deliverer();
    const sink = new SwitchSink();
    const deliverDue = async (due: Injection[]) => {
      for (const injection of due) {
        const result = await deliverer.deliver(injection, { sink });
        if (result.outcome === 'requeue') queue.requeue(injection, Date.now());
      }
    };
    queue.offer(testInjection({ id: 'tip', criticality: 'helpful', expiresAt: 10_000 }), 0);
    queue.offer(testInjection({ id: 'fact', criticality: 'helpful', expiresAt: 3_000 }), 0);

    await deliverDue(queue.input({ type: 'turn-end' }, 0));
    expect(queue.buffer.size).toBe(2);

    vi.setSystemTime(5_000);
    sink.failing = false;
    await deliverDue(queue.input({ type: 'turn-end' }, 5_000));
    expect(sink.accepted).toEqual(['tip']);
    expect(queue.counts()).toEqual({ 'expired:ttl': 1 });
    expect(deliverer.counters.total({ outcome: 'requeue' })).toBe(2);
    expect(deliverer.counters.total({ outcome: 'delivered' })).toBe(1);
  });
});
