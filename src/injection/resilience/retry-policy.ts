import {
  ConstantBackoff,
  DelegateBackoff,
  decorrelatedJitterGenerator,
  ExponentialBackoff,
  fullJitterGenerator,
  type IBackoff,
  type IBackoffFactory,
  noJitterGenerator,
} from 'cockatiel';
import { ValidationError } from '../../core/errors.js';
import type { RandomSource } from './seeded-random.js';

/** How the delay grows between attempts (seed 003's `backoff_strategy`). */
export const BACKOFF_KINDS = ['exponential', 'linear', 'fixed'] as const;
export type BackoffKind = (typeof BACKOFF_KINDS)[number];

/** Randomness added to delays so many streams do not retry in step. */
export const JITTER_KINDS = ['none', 'full', 'decorrelated'] as const;
export type JitterKind = (typeof JITTER_KINDS)[number];

/** A retry policy as configured (seed 003's RetryPolicy). */
export interface RetryPolicyConfig {
  backoff: BackoffKind;
  /** Total attempts including the first one (cockatiel counts retries: it gets `maxAttempts - 1`). */
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  /** Growth factor of `exponential` (default 2). */
  exponent: number;
  jitter: JitterKind;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicyConfig> = Object.freeze({
  backoff: 'exponential',
  maxAttempts: 3,
  initialDelayMs: 100,
  maxDelayMs: 5_000,
  exponent: 2,
  jitter: 'full',
});

/** Completes a partial policy with defaults, validates it and freezes it. */
export function resolveRetryPolicy(partial: Partial<RetryPolicyConfig> = {}): Readonly<RetryPolicyConfig> {
  const config = { ...DEFAULT_RETRY_POLICY, ...partial };
  if (!BACKOFF_KINDS.includes(config.backoff)) throw new ValidationError(`unknown backoff "${config.backoff}"`);
  if (!JITTER_KINDS.includes(config.jitter)) throw new ValidationError(`unknown jitter "${config.jitter}"`);
  if (!Number.isInteger(config.maxAttempts) || config.maxAttempts < 1) {
    throw new ValidationError('retry maxAttempts must be an integer ≥ 1');
  }
  if (!(config.initialDelayMs >= 0) || !(config.maxDelayMs >= config.initialDelayMs)) {
    throw new ValidationError('retry delays must satisfy 0 ≤ initialDelayMs ≤ maxDelayMs');
  }
  if (!(config.exponent >= 1)) throw new ValidationError('retry exponent must be ≥ 1');
  return Object.freeze(config);
}

/**
 * The cockatiel backoff of a policy. Exponential uses cockatiel's generators (`full` and `decorrelated`
 * jitter draw from Math.random); linear and fixed add their jitter here from `random`:
 * `full` draws uniformly in [0, delay], `decorrelated` in [initialDelay, 3 × previous delay] (capped).
 */
export function createBackoff(config: Readonly<RetryPolicyConfig>, random: RandomSource = Math.random): IBackoffFactory<unknown> {
  const { initialDelayMs: initialDelay, maxDelayMs: maxDelay, exponent } = config;
  if (config.backoff === 'exponential') {
    if (config.jitter === 'decorrelated') {
      return new ExponentialBackoff({ initialDelay, maxDelay, exponent, generator: decorrelatedJitterGenerator });
    }
    const generator = config.jitter === 'full' ? fullJitterGenerator : noJitterGenerator;
    return new ExponentialBackoff({ initialDelay, maxDelay, exponent, generator });
  }
  if (config.backoff === 'fixed' && config.jitter === 'none') return new ConstantBackoff(initialDelay);
  const base = (attempt: number): number =>
    config.backoff === 'linear' ? Math.min(maxDelay, initialDelay * attempt) : initialDelay;
  return new DelegateBackoff<{ attempt: number }, number>((context, previous) => {
    const delay = base(context.attempt);
    if (config.jitter === 'none') return { delay, state: delay };
    if (config.jitter === 'full') return { delay: Math.floor(random() * delay), state: delay };
    const upper = Math.min(maxDelay, Math.max(initialDelay, (previous ?? delay) * 3));
    const next = Math.floor(initialDelay + random() * (upper - initialDelay));
    return { delay: next, state: next };
  }) as IBackoffFactory<unknown>;
}

/**
 * Wraps a backoff so no delay goes past `remainingMs()` (the time left before a deadline): a retry never
 * sleeps through the moment it had to deliver by.
 */
export function clampBackoff(inner: IBackoffFactory<unknown>, remainingMs: () => number): IBackoffFactory<unknown> {
  const clamp = (backoff: IBackoff<unknown>): IBackoff<unknown> => ({
    get duration() {
      return Math.max(0, Math.min(backoff.duration, remainingMs()));
    },
    next: (context: unknown) => clamp(backoff.next(context)),
  });
  return { next: (context: unknown) => clamp(inner.next(context)) };
}
