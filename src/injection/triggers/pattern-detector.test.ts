import { describe, expect, it } from 'vitest';
import { PatternDetector } from './pattern-detector.js';
import { unsafeRegexReason } from './regex-safety.js';

describe('PatternDetector', () => {
  const detector = new PatternDetector({
    sets: [
      { name: 'money', keywords: ['refund', 'credit card', 'pric*'] },
      { name: 'order', patterns: ['order\\s*#?\\d{5,}', '^cancel'] },
    ],
  });

  it('matches keywords on whole words, case-insensitively, phrases as consecutive words, prefixes with *', () => {
    expect(detector.detect('I want a REFUND now')).toEqual([{ set: 'money', kind: 'keyword', matched: 'refund' }]);
    expect(detector.detect('refunds are slow')).toEqual([]);
    expect(detector.detect('my credit-card was charged')).toEqual([{ set: 'money', kind: 'keyword', matched: 'credit card' }]);
    expect(detector.detect('card credit')).toEqual([]);
    expect(detector.detect('what about pricing?')).toEqual([{ set: 'money', kind: 'keyword', matched: 'pric*' }]);
  });

  it('matches regex sets case-insensitively, each set once', () => {
    expect(detector.detect('Where is Order #123456?')).toEqual([
      { set: 'order', kind: 'pattern', matched: 'order\\s*#?\\d{5,}' },
    ]);
    expect(detector.detect('Cancel it and refund me')).toHaveLength(2);
    expect(detector.detect('order 12')).toEqual([]);
  });

  it('reads only the first maxInputChars characters', () => {
    const capped = new PatternDetector({ sets: [{ name: 'x', keywords: ['needle'], patterns: ['needle'] }], maxInputChars: 100 });
    expect(capped.detect(`${'hay '.repeat(50)}needle`)).toEqual([]);
    expect(capped.detect(`needle ${'hay '.repeat(50)}`)).toHaveLength(1);
  });

  it('refuses invalid and backtracking-prone patterns at construction', () => {
    expect(() => new PatternDetector({ sets: [{ name: 'bad', patterns: ['(unclosed'] }] })).toThrow(/invalid regular expression/);
    expect(() => new PatternDetector({ sets: [{ name: 'bad', patterns: ['(a+)+$'] }] })).toThrow(/nested unbounded/);
  });
});

describe('unsafeRegexReason', () => {
  it('accepts ordinary patterns', () => {
    for (const source of ['refund', 'order\\s*#?\\d{5,}', '(?:foo|bar)+', '[(a+)]+', '(ab){2,5}', 'a+b*', '\\(a+\\)+']) {
      expect(unsafeRegexReason(source), source).toBeUndefined();
    }
  });

  it('refuses nested unbounded quantifiers, back-references and long patterns', () => {
    for (const source of ['(a+)+', '(\\w*x)*', '(?:a|b+){2,}', '((ab)*c)+', '(a*)\\1', 'x'.repeat(201)]) {
      expect(unsafeRegexReason(source), source).toBeDefined();
    }
  });
});
