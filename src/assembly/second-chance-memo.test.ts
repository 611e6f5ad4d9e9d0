import { describe, expect, it } from 'vitest';
import { SecondChanceMemo } from './second-chance-memo.js';

describe('SecondChanceMemo', () => {
  it('never holds more than maxEntries, however many keys go through it', () => {
    const memo = new SecondChanceMemo<string, number>(100);
    for (let index = 0; index < 10_000; index += 1) {
      memo.set(`key ${index}`, index);
      if (index % 3 === 0) memo.get(`key ${index - 50}`);
      expect(memo.size).toBeLessThanOrEqual(100);
    }
    expect(memo.size).toBe(100);
  });

  it('keeps the entries in use and evicts the idle ones, as an LRU would', () => {
    const memo = new SecondChanceMemo<string, number>(100);
    const inUse = Array.from({ length: 20 }, (_, index) => `used ${index}`);
    for (const key of inUse) memo.set(key, 1);
    memo.set('idle', 2);
    let lost = 0;
    for (let index = 0; index < 5_000; index += 1) {
      memo.set(`one-off ${index}`, index);
      for (const key of inUse) if (memo.get(key) !== 1) lost += 1;
    }
    expect(lost).toBe(0);
    expect(memo.get('idle')).toBeUndefined();
    // The recent one-off entries fill the rest, as in an LRU of the same size.
    expect(memo.get('one-off 4999')).toBe(4_999);
    expect(memo.get('one-off 4930')).toBe(4_930);
  });

  it('answers the latest value of a key set twice, counted once', () => {
    const memo = new SecondChanceMemo<string, number>(4);
    memo.set('a', 1);
    memo.set('b', 2);
    memo.set('a', 3);
    expect(memo.get('a')).toBe(3);
    expect(memo.size).toBe(2);
  });

  it('holds one entry when bounded to one', () => {
    const memo = new SecondChanceMemo<string, number>(1);
    memo.set('a', 1);
    memo.set('b', 2);
    memo.set('c', 3);
    expect(memo.size).toBe(1);
    expect(memo.get('c')).toBe(3);
    expect(memo.get('a')).toBeUndefined();
  });
});
