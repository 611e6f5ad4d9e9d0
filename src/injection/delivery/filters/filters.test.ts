import { describe, expect, it } from 'vitest';
import { testInjection } from '../test-injection.test-support.js';
import { dedupFilter } from './dedup-filter.js';
import { type FilterContext, runFilters } from './injection-filter.js';
import { priorityFilter } from './priority-filter.js';
import { relevanceFilter } from './relevance-filter.js';
import { tokenLimitFilter } from './token-limit-filter.js';

const at = (now: number, level: FilterContext['level'] = 'full'): FilterContext => ({ now, level });

describe('priorityFilter', () => {
  it('raises its threshold with the degradation level and always lets critical through', () => {
    const filter = priorityFilter({ minPriority: 30, raiseBy: { essential: 30 } });
    const p40 = testInjection({ priority: 40 });
    expect(filter.check(p40, at(0))).toEqual({ pass: true });
    expect(filter.check(p40, at(0, 'essential'))).toEqual({ pass: false, reason: 'filtered:priority' });
    expect(filter.check(testInjection({ priority: 60 }), at(0, 'essential')).pass).toBe(true);
    expect(filter.check(testInjection({ priority: 0, criticality: 'critical' }), at(0, 'skip')).pass).toBe(true);
  });
});

describe('relevanceFilter', () => {
  it('compares the score with the threshold; unscored passes unless told otherwise', () => {
    const scored = (relevance: number) => Object.assign(testInjection(), { relevance });
    const filter = relevanceFilter({ minScore: 0.5 });
    expect(filter.check(scored(0.7), at(0)).pass).toBe(true);
    expect(filter.check(scored(0.2), at(0))).toEqual({ pass: false, reason: 'filtered:relevance' });
    expect(filter.check(testInjection(), at(0)).pass).toBe(true);
    const strict = relevanceFilter({ minScore: 0.5, unscored: 'reject', scoreOf: () => undefined });
    expect(strict.check(testInjection(), at(0)).pass).toBe(false);
  });
});

describe('dedupFilter', () => {
  it('rejects the same content within the window and lets it through after', () => {
    const filter = dedupFilter({ windowMs: 1_000 });
    expect(runFilters([filter], testInjection({ contentHash: 'h' }), at(0)).pass).toBe(true);
    expect(runFilters([filter], testInjection({ contentHash: 'h' }), at(999))).toEqual({ pass: false, reason: 'filtered:dedup' });
    expect(runFilters([filter], testInjection({ contentHash: 'other' }), at(999)).pass).toBe(true);
    expect(runFilters([filter], testInjection({ contentHash: 'h' }), at(1_000)).pass).toBe(true);
  });

  it('remembers only the last K injections', () => {
    const filter = dedupFilter({ lastK: 2 });
    for (const hash of ['a', 'b', 'c']) runFilters([filter], testInjection({ contentHash: hash }), at(0));
    expect(runFilters([filter], testInjection({ contentHash: 'a' }), at(1)).pass).toBe(true);
    expect(runFilters([filter], testInjection({ contentHash: 'c' }), at(1)).pass).toBe(false);
  });
});

describe('tokenLimitFilter', () => {
  it('limits one delivery and the tokens within the window', () => {
    const filter = tokenLimitFilter({ maxPerDelivery: 50, maxPerWindow: 100, windowMs: 1_000 });
    expect(runFilters([filter], testInjection({ tokens: 51 }), at(0))).toEqual({
      pass: false,
      reason: 'filtered:token-limit:delivery',
    });
    expect(runFilters([filter], testInjection({ tokens: 50 }), at(0)).pass).toBe(true);
    expect(runFilters([filter], testInjection({ tokens: 40 }), at(100)).pass).toBe(true);
    expect(runFilters([filter], testInjection({ tokens: 20 }), at(200))).toEqual({
      pass: false,
      reason: 'filtered:token-limit:window',
    });
    expect(runFilters([filter], testInjection({ tokens: 20 }), at(1_000)).pass).toBe(true);
  });
});

describe('runFilters', () => {
  it('stops at the first rejection and records only what the whole chain let through', () => {
    const tokens = tokenLimitFilter({ maxPerWindow: 15 });
    const dedup = dedupFilter({ windowMs: 10_000 });
    const chain = [dedup, tokens];
    expect(runFilters(chain, testInjection({ contentHash: 'x', tokens: 10 }), at(0)).pass).toBe(true);
    expect(runFilters(chain, testInjection({ contentHash: 'y', tokens: 10 }), at(1))).toEqual({
      pass: false,
      reason: 'filtered:token-limit:window',
    });
    expect(runFilters(chain, testInjection({ contentHash: 'y', tokens: 5 }), at(2)).pass).toBe(true);
  });
});
