import { ValidationError } from '../../core/errors.js';
import type { Criticality } from '../../core/injection.js';
import { type BreakerConfig, DEFAULT_BREAKER, validateBreakerConfig } from './breaker-registry.js';
import { type DegradationThresholds, resolveDegradationThresholds } from './degradation.js';
import type { FailureBudgetOptions } from './failure-budget.js';
import { type RetryPolicyConfig, resolveRetryPolicy } from './retry-policy.js';

/** Options of the critical strategy: retry until the deadline, then escalate. */
export interface CriticalOptions {
  /** Deadline used when an injection has no `deadlineAt` (ms after the call). */
  defaultDeadlineMs: number;
  /** Share of the time to the deadline the primary sink gets when a fallback is given (0 < share ≤ 1). */
  primaryShare: number;
  /** Backoff between attempts; its `maxAttempts` bounds the attempts per sink (the deadline usually ends first). */
  retry: RetryPolicyConfig;
}

/** Everything the deliverer can be configured with; every field has a default. */
export interface DelivererConfig {
  /** Per-attempt timeout by criticality; `optional`'s is the bound a turn can ever wait on an optional item. */
  attemptTimeoutMs: Record<Criticality, number>;
  critical: CriticalOptions;
  /** Background retries of `important` injections (the inline first attempt counts as attempt 1). */
  retry: RetryPolicyConfig;
  breaker: BreakerConfig;
  failureBudget: FailureBudgetOptions;
  degradation: DegradationThresholds;
}

/** What callers pass: any subset of `DelivererConfig`, completed by `resolveDelivererConfig`. */
export type DelivererConfigInput = {
  breaker?: BreakerConfig;
  failureBudget?: Partial<FailureBudgetOptions>;
  degradation?: Partial<DegradationThresholds>;
  attemptTimeoutMs?: Partial<Record<Criticality, number>>;
  critical?: Partial<Omit<CriticalOptions, 'retry'>> & { retry?: Partial<RetryPolicyConfig> };
  retry?: Partial<RetryPolicyConfig>;
};

/** Completes a configuration with defaults, validates it and freezes it. */
export function resolveDelivererConfig(input: DelivererConfigInput = {}): Readonly<DelivererConfig> {
  const attemptTimeoutMs = { critical: 1_000, important: 1_000, helpful: 500, optional: 50, ...input.attemptTimeoutMs };
  for (const [criticality, ms] of Object.entries(attemptTimeoutMs)) {
    if (!(ms > 0)) throw new ValidationError(`attemptTimeoutMs.${criticality} must be > 0`);
  }
  const critical = {
    defaultDeadlineMs: input.critical?.defaultDeadlineMs ?? 5_000,
    primaryShare: input.critical?.primaryShare ?? 0.5,
    retry: resolveRetryPolicy({ initialDelayMs: 20, maxDelayMs: 500, maxAttempts: 100, ...input.critical?.retry }),
  };
  if (!(critical.defaultDeadlineMs > 0)) throw new ValidationError('critical.defaultDeadlineMs must be > 0');
  if (!(critical.primaryShare > 0 && critical.primaryShare <= 1))
    throw new ValidationError('critical.primaryShare must be in (0, 1]');
  return Object.freeze({
    attemptTimeoutMs: Object.freeze(attemptTimeoutMs),
    critical: Object.freeze(critical),
    retry: resolveRetryPolicy(input.retry),
    breaker: validateBreakerConfig(input.breaker ?? DEFAULT_BREAKER),
    failureBudget: Object.freeze({ windowMs: 60_000, bucketMs: 1_000, ...input.failureBudget }),
    degradation: resolveDegradationThresholds(input.degradation),
  });
}
