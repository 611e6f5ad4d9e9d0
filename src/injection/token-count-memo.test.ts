import { describe, expect, it } from 'vitest';
import { memoizeTokenCount } from './token-count-memo.js';

describe('memoizeTokenCount', () => {
  it('counts a text once, forgets the oldest past its limit, and never holds long texts', () => {
    const counted: string[] = [];
    const count = memoizeTokenCount((text) => {
      counted.push(text);
      return text.length;
    }, 2);
    expect([count('a'), count('a'), count('bb'), count('a')]).toEqual([1, 1, 2, 1]);
    expect(counted).toEqual(['a', 'bb']);
    count('ccc'); // 'a' is the oldest: forgotten
    count('a');
    expect(counted).toEqual(['a', 'bb', 'ccc', 'a']);
    const long = 'x'.repeat(5_000);
    expect([count(long), count(long)]).toEqual([5_000, 5_000]);
    expect(counted.filter((text) => text === long)).toHaveLength(2);
  });
});
