import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheKey, cacheKeyPrefix } from './cache-key.js';

describe('cacheKey', () => {
  it('escapes separators so different part lists never collide', () => {
    expect(cacheKey('t1', 'a:b')).not.toBe(cacheKey('t1:a', 'b'));
    expect(cacheKey('t1', 'a', 'b')).toBe('t1:a:b');
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1 }), fc.array(fc.string(), { minLength: 1 }), (one, two) => {
        const [tenantOne = '', ...partsOne] = one;
        const [tenantTwo = '', ...partsTwo] = two;
        const same = JSON.stringify(one) === JSON.stringify(two);
        expect(cacheKey(tenantOne, ...partsOne) === cacheKey(tenantTwo, ...partsTwo)).toBe(same);
      }),
    );
  });

  it('gives a tenant prefix that matches its keys only', () => {
    expect(cacheKey('t1', 'x').startsWith(cacheKeyPrefix('t1'))).toBe(true);
    expect(cacheKey('t10', 'x').startsWith(cacheKeyPrefix('t1'))).toBe(false);
    expect(cacheKey('t1', 'a', 'b').startsWith(cacheKeyPrefix('t1', 'a'))).toBe(true);
  });
});
