import type { Criticality, Injection } from '../../core/injection.js';
import { BreakerRegistry, type BreakerState } from './breaker-registry.js';
import { chooseDegradationLevel, type DegradationLevel, levelAllows } from './degradation.js';
import { type DelivererConfig, type DelivererConfigInput, resolveDelivererConfig } from './deliverer-config.js';
import { DeliveryCounters } from './delivery-counters.js';
import type { DeliverOptions, DeliveryOutcome, DeliveryResult } from './delivery-result.js';
import { FailureBudget } from './failure-budget.js';
import { failureReason } from './failure-reason.js';
import { runRetryLoop } from './retry-loop.js';
import type { RandomSource } from './seeded-random.js';
import type { Sink } from './sink.js';
import { SinkCaller } from './sink-caller.js';

export interface DelivererOptions {
  config?: DelivererConfigInput;
  /** Epoch ms (default `Date.now`). */
  clock?: () => number;
  /** System load in 0..1 (e.g. event-loop utilisation); with the failure budget it picks the degradation level. */
  load?: () => number;
  /** Jitter source for linear/fixed backoffs (default Math.random). */
  random?: RandomSource;
}

/**
 * Delivers injections to sinks with the failure strategy of their criticality (seed 003):
 * critical retries until its deadline then escalates to the fallback sink; important gets one inline
 * attempt then retries in the background; helpful is handed back for re-queueing; optional gets one
 * short attempt and is skipped on any trouble. Every outcome is counted in `counters`.
 */
export class Deliverer {
  readonly config: Readonly<DelivererConfig>;
  readonly counters = new DeliveryCounters();
  readonly #breakers: BreakerRegistry;
  readonly #budget: FailureBudget;
  readonly #caller: SinkCaller;
  readonly #clock: () => number;
  readonly #load: () => number;
  readonly #random: RandomSource | undefined;
  readonly #closing = new AbortController();
  /**
   * One controller per delivery in progress (background retries included), aborted by `close()`. cockatiel adds an
   * abort listener to the signal of every call; on one signal shared by every call in flight each registration
   * would cost O(calls in flight) (EventTarget checks for duplicates), quadratic with thousands of streams.
   */
  readonly #live = new Set<AbortController>();
  readonly #background = new Set<Promise<DeliveryResult>>();

  constructor(options: DelivererOptions = {}) {
    this.config = resolveDelivererConfig(options.config);
    this.#clock = options.clock ?? Date.now;
    this.#load = options.load ?? (() => 0);
    this.#random = options.random;
    this.#breakers = new BreakerRegistry(this.config.breaker, (sinkId, state) => this.counters.breakerChanged(sinkId, state));
    this.#budget = new FailureBudget(this.config.failureBudget);
    this.#caller = new SinkCaller({
      breakers: this.#breakers,
      budget: this.#budget,
      counters: this.counters,
      clock: this.#clock,
    });
  }

  /** The state of a sink's breaker (`closed` for a sink never used). */
  breakerState(sinkId: string): BreakerState {
    return this.#breakers.state(sinkId);
  }

  /** Every sink used so far and its breaker state. */
  breakerStates(): Record<string, BreakerState> {
    return this.#breakers.states();
  }

  /** Drops the breaker of a sink that is gone for good (sink ids should be few; see BreakerRegistry). */
  forgetSink(sinkId: string): void {
    this.#breakers.forget(sinkId);
  }

  /** The degradation level now, from the failure budget's window and the load. */
  level(now = this.#clock()): DegradationLevel {
    return chooseDegradationLevel(this.#budget.sample(now), this.#load(), this.config.degradation);
  }

  /** Background retries still running. */
  get inFlight(): number {
    return this.#background.size;
  }

  /**
   * Delivers one injection with its criticality's strategy (see the class comment and
   * docs/injection-delivery.md). Never throws: every ending is a counted `DeliveryResult`.
   */
  async deliver(injection: Injection, options: DeliverOptions): Promise<DeliveryResult> {
    const start = options.now ?? this.#clock();
    const criticality = injection.packet.metadata.criticality;
    if (this.#closing.signal.aborted) return this.#end(criticality, start, 'cancelled', 'closed', 0);
    if (injection.expiresAt !== undefined && injection.expiresAt <= start) {
      return this.#end(criticality, start, 'expired', 'ttl', 0);
    }
    if (!levelAllows(this.level(start), criticality, injection.deadlineAt !== undefined)) {
      return this.#end(criticality, start, criticality === 'critical' ? 'failed' : 'skipped', 'degraded', 0);
    }
    const scope = new AbortController();
    this.#live.add(scope);
    const release = () => void this.#live.delete(scope);
    try {
      const result = await this.#deliverWith(injection, options, start, scope.signal);
      if (result.background === undefined) release();
      else void result.background.then(release, release);
      return result;
    } catch (error) {
      release();
      throw error;
    }
  }

  #deliverWith(injection: Injection, options: DeliverOptions, start: number, signal: AbortSignal): Promise<DeliveryResult> {
    const criticality = injection.packet.metadata.criticality;
    switch (criticality) {
      case 'critical':
        return this.#deliverCritical(injection, options, start, signal);
      case 'important':
        return this.#deliverImportant(injection, options, start, signal);
      case 'helpful':
        return this.#deliverOnce(injection, options.sink, start, 'requeue', signal);
      case 'optional':
        return this.#deliverOnce(injection, options.sink, start, 'skipped', signal);
      default: {
        const _exhaustive: never = criticality;
        return _exhaustive;
      }
    }
  }

  /** Waits for every background retry to end (without cancelling them). */
  async drain(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  /** Cancels background retries (counted `cancelled`), waits for them and refuses new deliveries. */
  async close(): Promise<void> {
    this.#closing.abort();
    for (const scope of this.#live) scope.abort();
    await this.drain();
  }

  async #deliverCritical(
    injection: Injection,
    options: DeliverOptions,
    start: number,
    signal: AbortSignal,
  ): Promise<DeliveryResult> {
    const deadline = injection.deadlineAt ?? start + this.config.critical.defaultDeadlineMs;
    if (deadline <= start) return this.#end('critical', start, 'failed', 'deadline_exceeded', 0);
    const { fallback } = options;
    const primaryUntil = fallback === undefined ? deadline : start + (deadline - start) * this.config.critical.primaryShare;
    const primary = await this.#retryUntil(options.sink, injection, primaryUntil, fallback !== undefined, signal);
    // An attempt's timeout ends by the deadline, so `late` only shows timer slack (a few ms on a busy loop).
    const onTime = () => (this.#clock() <= deadline ? undefined : 'late');
    if (primary.ok) return this.#delivered('critical', start, primary.attempts, options.sink, onTime());
    let attempts = primary.attempts;
    let reason = primary.reason;
    if (fallback !== undefined && !signal.aborted) {
      const second = await this.#retryUntil(fallback, injection, deadline, false, signal);
      attempts += second.attempts;
      if (second.ok) return this.#delivered('critical', start, attempts, fallback, onTime() ?? 'escalated');
      reason = second.reason;
    }
    if (this.#clock() >= deadline && reason !== 'cancelled') reason = 'deadline_exceeded';
    return this.#end('critical', start, reason === 'cancelled' ? 'cancelled' : 'failed', reason, attempts);
  }

  /**
   * Critical attempts on one sink until `until`. With an escalation path left, an open breaker ends
   * them at once; on the last path they keep backing off (the breaker may half-open) until the deadline.
   */
  #retryUntil(sink: Sink, injection: Injection, until: number, escalationLeft: boolean, signal: AbortSignal) {
    return runRetryLoop({
      caller: this.#caller,
      sink,
      injection,
      policy: this.config.critical.retry,
      until,
      attemptTimeoutMs: this.config.attemptTimeoutMs.critical,
      stopOnBreakerOpen: escalationLeft,
      signal,
      clock: this.#clock,
      random: this.#random,
      onRetry: () => this.counters.retry('critical'),
    });
  }

  /**
   * One cockatiel retry execution whose first try runs inline: `deliver()` waits for that try only;
   * when it fails, the rest of the execution goes on in the background and `background` settles with
   * the final result.
   */
  async #deliverImportant(
    injection: Injection,
    options: DeliverOptions,
    start: number,
    signal: AbortSignal,
  ): Promise<DeliveryResult> {
    let firstEnded: (error: unknown) => void = () => {};
    const first = new Promise<unknown>((resolve) => {
      firstEnded = resolve;
    });
    const work = this.#retryImportant(injection, options, start, signal, (attempt, error) => {
      if (attempt === 1) firstEnded(error);
    });
    const firstError = await first;
    if (firstError === undefined) return (await work)();
    const reason = failureReason(firstError, signal);
    if (reason === 'cancelled') return (await work)();
    const background = this.#track(work, start, signal);
    return { outcome: 'retrying', reason, attempts: 1, latencyMs: this.#clock() - start, background };
  }

  /**
   * The retries of an important injection, then one try on the fallback. Resolves to a thunk that
   * counts and returns the result, so `#track` counts exactly one outcome even when closing wins.
   */
  async #retryImportant(
    injection: Injection,
    options: DeliverOptions,
    start: number,
    signal: AbortSignal,
    onAttempt: (attempt: number, error?: unknown) => void,
  ): Promise<() => DeliveryResult> {
    const until = Math.min(injection.expiresAt ?? Number.POSITIVE_INFINITY, injection.deadlineAt ?? Number.POSITIVE_INFINITY);
    const loop = await runRetryLoop({
      caller: this.#caller,
      sink: options.sink,
      injection,
      policy: this.config.retry,
      until: Number.isFinite(until) ? until : undefined,
      attemptTimeoutMs: this.config.attemptTimeoutMs.important,
      stopOnBreakerOpen: false,
      signal,
      clock: this.#clock,
      random: this.#random,
      onRetry: () => this.counters.retry('important'),
      onAttempt,
    });
    let attempts = loop.attempts;
    if (loop.ok) return () => this.#delivered('important', start, attempts, options.sink);
    if (options.fallback !== undefined && loop.reason !== 'cancelled') {
      const { fallback } = options;
      const second = await this.#attemptOnce(injection, fallback, this.config.attemptTimeoutMs.important, signal);
      attempts++;
      if (second === undefined) return () => this.#delivered('important', start, attempts, fallback, 'escalated');
    }
    if (loop.reason === 'cancelled') return () => this.#end('important', start, 'cancelled', 'closed', attempts);
    const expired = injection.expiresAt !== undefined && this.#clock() >= injection.expiresAt;
    if (expired) return () => this.#end('important', start, 'expired', 'ttl', attempts);
    return () => this.#end('important', start, 'failed', loop.reason, attempts);
  }

  /** helpful and optional: one attempt; on failure `onFailure` (requeue or skipped) with the reason. */
  async #deliverOnce(
    injection: Injection,
    sink: Sink,
    start: number,
    onFailure: 'requeue' | 'skipped',
    signal: AbortSignal,
  ): Promise<DeliveryResult> {
    const criticality = injection.packet.metadata.criticality;
    const failure = await this.#attemptOnce(injection, sink, this.config.attemptTimeoutMs[criticality], signal);
    if (failure === undefined) return this.#delivered(criticality, start, 1, sink);
    if (failure === 'cancelled') return this.#end(criticality, start, 'cancelled', 'closed', 1);
    return this.#end(criticality, start, onFailure, failure, 1);
  }

  /** One attempt; undefined when delivered, else the failure reason. */
  async #attemptOnce(injection: Injection, sink: Sink, timeoutMs: number, signal: AbortSignal): Promise<string | undefined> {
    try {
      await this.#caller.call(sink, injection, timeoutMs, signal);
      return undefined;
    } catch (error) {
      return failureReason(error, signal);
    }
  }

  /** Keeps background work until it settles; it ends at once (counted `cancelled`) when the deliverer closes. */
  #track(work: Promise<() => DeliveryResult>, start: number, signal: AbortSignal): Promise<DeliveryResult> {
    let onAbort = () => {};
    const closed = new Promise<undefined>((resolve) => {
      onAbort = () => resolve(undefined);
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    const settled = Promise.race([work, closed]).then((finish) =>
      finish === undefined ? this.#end('important', start, 'cancelled', 'closed', 1) : finish(),
    );
    this.#background.add(settled);
    void settled.finally(() => {
      signal.removeEventListener('abort', onAbort);
      this.#background.delete(settled);
    });
    return settled;
  }

  #delivered(criticality: Criticality, start: number, attempts: number, sink: Sink, reason?: string): DeliveryResult {
    const deliveredAt = this.#clock();
    this.counters.count(criticality, 'delivered', reason);
    return { outcome: 'delivered', reason, attempts, latencyMs: deliveredAt - start, deliveredAt, sinkId: sink.id };
  }

  #end(criticality: Criticality, start: number, outcome: DeliveryOutcome, reason: string, attempts: number): DeliveryResult {
    this.counters.count(criticality, outcome, reason);
    return { outcome, reason, attempts, latencyMs: this.#clock() - start };
  }
}
