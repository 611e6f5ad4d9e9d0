import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import type { Injection } from '../../core/injection.js';
import { testInjection } from '../delivery/test-injection.test-support.js';
import { Deliverer } from './deliverer.js';
import { DeadSink, RecordingSink } from './fault-sinks.test-support.js';
import type { Sink } from './sink.js';

/** Fails its first `failures` calls, then accepts. */
class RecoveringSink implements Sink {
  calls = 0;
  constructor(
    readonly id: string,
    private readonly failures: number,
  ) {}
  async send(_injection: Injection): Promise<void> {
    this.calls++;
    if (this.calls <= this.failures) throw new Error(`failure ${this.calls}`);
  }
}

const fixedRetry = { backoff: 'fixed', jitter: 'none', initialDelayMs: 100, maxDelayMs: 100 } as const;

describe('Deliverer strategies', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('important: one inline attempt, then background retries with the policy; the outcome is counted when they end', async () => {
    const deliverer = new Deliverer({ config: { retry: { ...fixedRetry, maxAttempts: 4 } } });
    const sink = new RecoveringSink('recovering', 2);
    const result = await deliverer.deliver(testInjection({ criticality: 'important' }), { sink });
    expect(result).toMatchObject({ outcome: 'retrying', reason: 'sink_error:failure 1', attempts: 1 });
    expect(deliverer.inFlight).toBe(1);
    expect(deliverer.counters.total({ criticality: 'important' })).toBe(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(sink.calls).toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(await result.background).toMatchObject({ outcome: 'delivered', attempts: 3, sinkId: 'recovering' });
    expect(deliverer.inFlight).toBe(0);
    const snapshot = deliverer.counters.snapshot();
    expect(snapshot.retries.important).toBe(2);
    expect(snapshot.attempts.important).toBe(3);
    expect(deliverer.counters.total({ criticality: 'important', outcome: 'delivered' })).toBe(1);
  });

  it('important: bounded attempts, then the fallback once, then failed with the last reason', async () => {
    const deliverer = new Deliverer({ config: { retry: { ...fixedRetry, maxAttempts: 3 } } });
    const sink = new DeadSink('dead', 'refused');
    const fallback = new DeadSink('also-dead', 'gone');
    const result = await deliverer.deliver(testInjection({ criticality: 'important' }), { sink, fallback });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await result.background).toMatchObject({ outcome: 'failed', reason: 'sink_error:refused', attempts: 4 });
    expect([sink.calls, fallback.calls]).toEqual([3, 1]);
  });

  it('close() cancels background retries at once and counts them cancelled; later deliveries are refused', async () => {
    const deliverer = new Deliverer({
      config: { retry: { ...fixedRetry, initialDelayMs: 10_000, maxDelayMs: 10_000, maxAttempts: 10 } },
    });
    const sink = new DeadSink('dead');
    const result = await deliverer.deliver(testInjection({ criticality: 'important' }), { sink });
    await deliverer.close();
    expect(await result.background).toMatchObject({ outcome: 'cancelled', reason: 'closed' });
    expect(deliverer.inFlight).toBe(0);
    expect(await deliverer.deliver(testInjection({ criticality: 'critical' }), { sink })).toMatchObject({
      outcome: 'cancelled',
      reason: 'closed',
      attempts: 0,
    });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(sink.calls).toBe(1);
    expect(deliverer.counters.total({ outcome: 'cancelled' })).toBe(2);
  });

  it('helpful: hands the injection back for re-queueing on failure', async () => {
    const deliverer = new Deliverer();
    const result = await deliverer.deliver(testInjection({ criticality: 'helpful' }), { sink: new DeadSink('dead', 'nope') });
    expect(result).toMatchObject({ outcome: 'requeue', reason: 'sink_error:nope', attempts: 1 });
    expect(deliverer.counters.total({ criticality: 'helpful', outcome: 'requeue' })).toBe(1);
  });

  it('critical: retries until the deadline with a timeout that never runs past it, then fails with deadline_exceeded', async () => {
    const deliverer = new Deliverer({ config: { critical: { retry: fixedRetry } } });
    const sink = new DeadSink('dead');
    const deadlineAt = Date.now() + 350;
    const pending = deliverer.deliver(testInjection({ criticality: 'critical', deadlineAt }), { sink });
    await vi.advanceTimersByTimeAsync(400);
    const result = await pending;
    expect(result).toMatchObject({ outcome: 'failed', reason: 'deadline_exceeded' });
    expect(sink.calls).toBe(4);
    expect(result.latencyMs).toBe(350);
  });

  it('critical without a deadline gets the default one', async () => {
    const deliverer = new Deliverer({ config: { critical: { defaultDeadlineMs: 250, retry: fixedRetry } } });
    const pending = deliverer.deliver(testInjection({ criticality: 'critical' }), { sink: new DeadSink('dead') });
    await vi.advanceTimersByTimeAsync(300);
    expect(await pending).toMatchObject({ outcome: 'failed', reason: 'deadline_exceeded', latencyMs: 250 });
  });

  it('expired injections are not sent', async () => {
    const deliverer = new Deliverer();
    const sink = new RecordingSink('ok');
    const result = await deliverer.deliver(testInjection({ expiresAt: Date.now() - 1 }), { sink });
    expect(result).toMatchObject({ outcome: 'expired', reason: 'ttl' });
    expect(sink.calls).toBe(0);
  });

  it('degrades from the failure budget and the load; a critical without deadline is reported failed, not lost', async () => {
    let load = 0;
    const deliverer = new Deliverer({
      config: {
        breaker: { kind: 'consecutive', failures: 1_000, halfOpenAfterMs: 1_000 },
        degradation: { minSamples: 10 },
      },
      load: () => load,
    });
    const dead = new DeadSink('dead');
    const ok = new RecordingSink('ok');
    for (let index = 0; index < 8; index++) await deliverer.deliver(testInjection({ criticality: 'optional' }), { sink: ok });
    expect(deliverer.level()).toBe('full');
    for (let index = 0; index < 2; index++) await deliverer.deliver(testInjection({ criticality: 'optional' }), { sink: dead });
    expect(deliverer.level()).toBe('essential');
    expect(await deliverer.deliver(testInjection({ criticality: 'optional' }), { sink: ok })).toMatchObject({
      outcome: 'skipped',
      reason: 'degraded',
    });
    for (let index = 0; index < 3; index++) await deliverer.deliver(testInjection({ criticality: 'helpful' }), { sink: dead });
    expect(deliverer.level()).toBe('critical-only');
    expect(await deliverer.deliver(testInjection({ criticality: 'helpful' }), { sink: ok })).toMatchObject({
      outcome: 'skipped',
      reason: 'degraded',
    });
    load = 0.96;
    expect(deliverer.level()).toBe('skip');
    expect(await deliverer.deliver(testInjection({ criticality: 'critical' }), { sink: ok })).toMatchObject({
      outcome: 'failed',
      reason: 'degraded',
    });
    const withDeadline = testInjection({ criticality: 'critical', deadlineAt: Date.now() + 1_000 });
    expect(await deliverer.deliver(withDeadline, { sink: ok })).toMatchObject({ outcome: 'delivered' });
    load = 0;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(deliverer.level()).toBe('full');
  });

  it('refuses a bad configuration', () => {
    expect(() => new Deliverer({ config: { attemptTimeoutMs: { optional: 0 } } })).toThrow(ValidationError);
    expect(() => new Deliverer({ config: { critical: { primaryShare: 0 } } })).toThrow(ValidationError);
    expect(() => new Deliverer({ config: { breaker: { kind: 'consecutive', failures: 0, halfOpenAfterMs: 1 } } })).toThrow(
      ValidationError,
    );
  });
});
