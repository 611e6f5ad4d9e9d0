import type { IBackoffFactory } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../core/errors.js';
import { clampBackoff, createBackoff, resolveRetryPolicy } from './retry-policy.js';
import { seededRandom } from './seeded-random.js';

function delays(factory: IBackoffFactory<unknown>, count: number): number[] {
  const result: number[] = [];
  let backoff = factory.next({ attempt: 1 });
  result.push(backoff.duration);
  for (let attempt = 2; attempt <= count; attempt++) {
    backoff = backoff.next({ attempt });
    result.push(backoff.duration);
  }
  return result;
}

const policy = (overrides: Parameters<typeof resolveRetryPolicy>[0]) =>
  resolveRetryPolicy({ initialDelayMs: 100, maxDelayMs: 450, jitter: 'none', ...overrides });

describe('createBackoff', () => {
  it('grows exponentially, linearly or not at all, capped at maxDelay', () => {
    expect(delays(createBackoff(policy({ backoff: 'exponential' })), 5)).toEqual([100, 200, 400, 450, 450]);
    expect(delays(createBackoff(policy({ backoff: 'linear' })), 6)).toEqual([100, 200, 300, 400, 450, 450]);
    expect(delays(createBackoff(policy({ backoff: 'fixed' })), 3)).toEqual([100, 100, 100]);
  });

  it('full jitter keeps each linear delay within [0, delay] and is reproducible with a seed', () => {
    const config = policy({ backoff: 'linear', jitter: 'full' });
    const first = delays(createBackoff(config, seededRandom(42)), 6);
    const again = delays(createBackoff(config, seededRandom(42)), 6);
    expect(first).toEqual(again);
    first.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(450, 100 * (index + 1)));
    });
    expect(new Set(first).size).toBeGreaterThan(1);
  });

  it('decorrelated jitter on fixed delays stays between initialDelay and three times the previous one', () => {
    const values = delays(createBackoff(policy({ backoff: 'fixed', jitter: 'decorrelated' }), seededRandom(7)), 20);
    let previous = 100;
    for (const delay of values) {
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(Math.min(450, previous * 3));
      previous = delay;
    }
  });

  it('exponential jitter (cockatiel generators) stays within maxDelay', () => {
    for (const jitter of ['full', 'decorrelated'] as const) {
      for (const delay of delays(createBackoff(policy({ backoff: 'exponential', jitter })), 10)) {
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(450);
      }
    }
  });
});

describe('clampBackoff', () => {
  it('never sleeps past the time remaining', () => {
    let remaining = 250;
    const clamped = clampBackoff(createBackoff(policy({ backoff: 'linear' })), () => remaining);
    const first = clamped.next({ attempt: 1 });
    expect(first.duration).toBe(100);
    const third = first.next({ attempt: 2 }).next({ attempt: 3 });
    expect(third.duration).toBe(250);
    remaining = -5;
    expect(third.duration).toBe(0);
  });
});

describe('resolveRetryPolicy', () => {
  it('fills defaults and refuses nonsense', () => {
    expect(resolveRetryPolicy()).toMatchObject({ backoff: 'exponential', maxAttempts: 3, jitter: 'full' });
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(ValidationError);
    expect(() => resolveRetryPolicy({ initialDelayMs: 10, maxDelayMs: 5 })).toThrow(ValidationError);
    expect(() => resolveRetryPolicy({ backoff: 'random' as 'fixed' })).toThrow(ValidationError);
  });
});
