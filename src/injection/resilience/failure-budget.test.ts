import { describe, expect, it } from 'vitest';
import { chooseDegradationLevel, levelAllows, resolveDegradationThresholds } from './degradation.js';
import { FailureBudget } from './failure-budget.js';

describe('FailureBudget', () => {
  it('counts attempts in a sliding window of buckets and forgets what slid out', () => {
    const budget = new FailureBudget({ windowMs: 10_000, bucketMs: 1_000 });
    for (let index = 0; index < 8; index++) budget.record(true, 500);
    for (let index = 0; index < 2; index++) budget.record(false, 4_200);
    expect(budget.sample(9_999)).toEqual({ successes: 8, failures: 2, ratio: 0.2 });
    expect(budget.sample(10_000)).toEqual({ successes: 0, failures: 2, ratio: 1 });
    expect(budget.sample(14_000)).toEqual({ successes: 0, failures: 0, ratio: 0 });
  });

  it('reuses a bucket when its slot comes round again (bounded memory)', () => {
    const budget = new FailureBudget({ windowMs: 3_000, bucketMs: 1_000 });
    budget.record(false, 0);
    budget.record(true, 3_000);
    expect(budget.sample(3_000)).toEqual({ successes: 1, failures: 0, ratio: 0 });
  });
});

describe('degradation levels', () => {
  const thresholds = resolveDegradationThresholds({ minSamples: 10 });
  const sample = (failures: number, successes: number) => ({ failures, successes, ratio: failures / (failures + successes) });

  it('moves full → essential → critical-only → skip as the failure ratio rises, and back as it falls', () => {
    const levels = [0, 1, 2, 3, 5, 7, 3, 0].map((failures) =>
      chooseDegradationLevel(sample(failures, 10 - failures), 0, thresholds),
    );
    expect(levels).toEqual(['full', 'essential', 'essential', 'critical-only', 'critical-only', 'skip', 'critical-only', 'full']);
  });

  it('ignores the ratio below minSamples and takes the load into account', () => {
    expect(chooseDegradationLevel(sample(3, 0), 0, thresholds)).toBe('full');
    expect(chooseDegradationLevel(sample(0, 20), 0.75, thresholds)).toBe('essential');
    expect(chooseDegradationLevel(sample(0, 20), 0.9, thresholds)).toBe('critical-only');
    expect(chooseDegradationLevel(sample(0, 20), 0.99, thresholds)).toBe('skip');
    expect(chooseDegradationLevel(sample(4, 6), 0.75, thresholds)).toBe('critical-only');
  });

  it('lets through what each level allows', () => {
    expect(levelAllows('full', 'optional', false)).toBe(true);
    expect(levelAllows('essential', 'optional', false)).toBe(false);
    expect(levelAllows('essential', 'helpful', false)).toBe(true);
    expect(levelAllows('critical-only', 'important', false)).toBe(false);
    expect(levelAllows('critical-only', 'critical', false)).toBe(true);
    expect(levelAllows('skip', 'critical', false)).toBe(false);
    expect(levelAllows('skip', 'critical', true)).toBe(true);
  });

  it('refuses thresholds that do not rise', () => {
    expect(() => resolveDegradationThresholds({ essential: { failureRatio: 0.5, load: 0.7 } })).toThrow(/rise/);
  });
});
