import { handleWhen, isBrokenCircuitError, retry, TaskCancelledError } from 'cockatiel';
import type { Injection } from '../../core/injection.js';
import { DeadlinePassedError, failureReason } from './failure-reason.js';
import { clampBackoff, createBackoff, type RetryPolicyConfig } from './retry-policy.js';
import type { RandomSource } from './seeded-random.js';
import type { Sink } from './sink.js';
import type { SinkCaller } from './sink-caller.js';

export interface RetryLoopOptions {
  caller: SinkCaller;
  sink: Sink;
  injection: Injection;
  policy: Readonly<RetryPolicyConfig>;
  /** Epoch ms: no attempt starts and no backoff sleeps past it; each attempt's timeout ends by it. */
  until?: number;
  attemptTimeoutMs: number;
  /** Give up at once when the breaker is open (the caller escalates) instead of backing off. */
  stopOnBreakerOpen: boolean;
  signal: AbortSignal;
  clock: () => number;
  random?: RandomSource;
  onRetry?: () => void;
  /** Told after each try ends: its number (from 1) and the error, if it failed. */
  onAttempt?: (attempt: number, error?: unknown) => void;
}

export type RetryLoopResult = { ok: true; attempts: number } | { ok: false; attempts: number; reason: string };

/**
 * Calls the sink through a cockatiel retry policy until it succeeds, the attempts run out, the breaker
 * is open (with `stopOnBreakerOpen`), `until` passes or `signal` aborts.
 */
export async function runRetryLoop(options: RetryLoopOptions): Promise<RetryLoopResult> {
  const { caller, sink, injection, policy, until, clock, signal } = options;
  const remaining = () => (until === undefined ? Number.POSITIVE_INFINITY : until - clock());
  const retries = policy.maxAttempts - 1;
  const handles = handleWhen(
    (error) =>
      !signal.aborted && !(error instanceof DeadlinePassedError) && !(options.stopOnBreakerOpen && isBrokenCircuitError(error)),
  );
  const backoff = clampBackoff(createBackoff(policy, options.random), remaining);
  const policyRunner = retry(handles, { maxAttempts: retries, backoff });
  const listener = policyRunner.onRetry(() => options.onRetry?.());
  let attempts = 0;
  try {
    await policyRunner.execute(async () => {
      const tryNumber = attempts + 1;
      try {
        if (signal.aborted) throw new TaskCancelledError('delivery cancelled');
        const left = remaining();
        if (left <= 0) throw new DeadlinePassedError();
        attempts++;
        await caller.call(sink, injection, Math.min(options.attemptTimeoutMs, left), signal);
        options.onAttempt?.(tryNumber);
      } catch (error) {
        options.onAttempt?.(tryNumber, error);
        throw error;
      }
    }, signal);
    return { ok: true, attempts };
  } catch (error) {
    return { ok: false, attempts, reason: failureReason(error, signal) };
  } finally {
    listener.dispose();
  }
}
