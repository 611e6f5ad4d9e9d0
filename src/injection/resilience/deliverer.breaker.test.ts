import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Injection } from '../../core/injection.js';
import { testInjection } from '../delivery/test-injection.test-support.js';
import { Deliverer } from './deliverer.js';
import type { Sink } from './sink.js';

/** A sink that fails while `failing` is set. */
class SwitchSink implements Sink {
  readonly id = 'switch';
  failing = true;
  calls = 0;
  async send(_injection: Injection): Promise<void> {
    this.calls++;
    if (this.failing) throw new Error('down');
  }
}

describe('Deliverer circuit breaker', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens after the configured failures, fails fast while open, half-opens after halfOpenAfter, reopens or closes', async () => {
    const deliverer = new Deliverer({ config: { breaker: { kind: 'consecutive', failures: 3, halfOpenAfterMs: 1_000 } } });
    const sink = new SwitchSink();
    const send = () => deliverer.deliver(testInjection({ criticality: 'helpful' }), { sink });

    for (let index = 0; index < 3; index++) expect(await send()).toMatchObject({ outcome: 'requeue', reason: 'sink_error:down' });
    expect(deliverer.breakerState('switch')).toBe('open');

    expect(await send()).toMatchObject({ outcome: 'requeue', reason: 'breaker_open' });
    await vi.advanceTimersByTimeAsync(999);
    expect(await send()).toMatchObject({ outcome: 'requeue', reason: 'breaker_open' });
    expect(sink.calls).toBe(3);

    await vi.advanceTimersByTimeAsync(1);
    expect(await send()).toMatchObject({ outcome: 'requeue', reason: 'sink_error:down' });
    expect(sink.calls).toBe(4);
    expect(deliverer.breakerState('switch')).toBe('open');
    expect(await send()).toMatchObject({ reason: 'breaker_open' });

    await vi.advanceTimersByTimeAsync(1_000);
    sink.failing = false;
    expect(await send()).toMatchObject({ outcome: 'delivered', sinkId: 'switch' });
    expect(deliverer.breakerState('switch')).toBe('closed');
    expect(sink.calls).toBe(5);

    const transitions = Object.fromEntries(
      deliverer.counters.snapshot().breakerTransitions.map((transition) => [transition.state, transition.count]),
    );
    expect(transitions).toEqual({ open: 2, 'half-open': 2, closed: 1 });
    expect(deliverer.counters.total({ criticality: 'helpful', outcome: 'requeue', reason: 'breaker_open' })).toBe(3);
  });

  it('sends a critical injection to the fallback at once while the primary breaker is open', async () => {
    const deliverer = new Deliverer({ config: { breaker: { kind: 'consecutive', failures: 2, halfOpenAfterMs: 60_000 } } });
    const primary = new SwitchSink();
    for (let index = 0; index < 2; index++)
      await deliverer.deliver(testInjection({ criticality: 'optional' }), { sink: primary });
    expect(deliverer.breakerState('switch')).toBe('open');

    const fallback: Sink & { calls: number } = { id: 'fallback', calls: 0, send: async () => void fallback.calls++ };
    const now = Date.now();
    const result = await deliverer.deliver(testInjection({ criticality: 'critical', deadlineAt: now + 1_000 }), {
      sink: primary,
      fallback,
    });
    expect(result).toMatchObject({ outcome: 'delivered', reason: 'escalated', sinkId: 'fallback', attempts: 2 });
    expect(result.deliveredAt).toBe(now);
    expect(primary.calls).toBe(2);
    expect(fallback.calls).toBe(1);
  });

  it('can sample failures instead of counting consecutive ones (opens once failures exceed the threshold share)', async () => {
    const deliverer = new Deliverer({
      config: { breaker: { kind: 'sampling', threshold: 0.5, durationMs: 10_000, minimumRps: 0.5, halfOpenAfterMs: 1_000 } },
    });
    const sink = new SwitchSink();
    sink.failing = false;
    for (let index = 0; index < 4; index++) await deliverer.deliver(testInjection({ criticality: 'optional' }), { sink });
    sink.failing = true;
    for (let index = 0; index < 4; index++) await deliverer.deliver(testInjection({ criticality: 'optional' }), { sink });
    expect(deliverer.breakerState('switch')).toBe('closed');
    for (let index = 0; index < 1; index++) await deliverer.deliver(testInjection({ criticality: 'optional' }), { sink });
    expect(deliverer.breakerState('switch')).toBe('open');
  });
});
