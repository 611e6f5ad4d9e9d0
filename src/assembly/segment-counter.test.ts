import { describe, expect, it } from 'vitest';
import { gptTokenizers } from './gpt-tokenizer-set.js';
import { SegmentCounter } from './segment-counter.js';

const block = (index: number) => `<knowledge id="k${index}">\nPayroll pricing benchmarks, item ${index}.\n</knowledge>\n`;

describe('SegmentCounter', () => {
  it('counts exactly, in each encoding, short and long texts alike', () => {
    const counter = new SegmentCounter(gptTokenizers);
    const long = `${'Supplier lead times for printed boxes are six weeks. '.repeat(60)}🙂`;
    for (const text of [block(1), long, 'h'.repeat(44), ''])
      for (const encoding of ['o200k_base', 'cl100k_base'] as const) {
        expect(counter.count(encoding, text)).toBe(gptTokenizers.get(encoding).count(text));
        expect(counter.count(encoding, text)).toBe(gptTokenizers.get(encoding).count(text));
      }
  });

  it('tokenises a text once while it is in use, and remembers at most maxEntries texts per encoding', () => {
    const counter = new SegmentCounter(gptTokenizers, 100);
    const inUse = block(-1);
    counter.count('o200k_base', inUse);
    for (let index = 0; index < 1_000; index += 1) {
      counter.count('o200k_base', block(index));
      counter.count('o200k_base', inUse);
    }
    expect(counter.tokenised).toBe(1_001);
    expect(counter.remembered).toBeLessThanOrEqual(100);
  });
});
