import { describe, expect, it } from 'vitest';
import { gatherCandidates } from './gather-candidates.js';
import { gptTokenizers } from './gpt-tokenizer-set.js';
import type { KnowledgeCandidate } from './knowledge-source.js';
import { SegmentCounter } from './segment-counter.js';

describe('knowledge estimates per encoding', () => {
  const result = (id: string, cl100k: number): KnowledgeCandidate => ({
    id,
    text: 'the same text',
    score: 0.9,
    metadata: {},
    tokens: 10,
    tokenCounts: { o200k_base: 10, cl100k_base: cl100k },
    createdAt: '2025-01-01T00:00:00.000Z',
  });
  const estimates = (encoding: 'o200k_base' | 'cl100k_base') =>
    gatherCandidates(
      { documents: [], session: undefined, journey: undefined, knowledge: [result('a', 50), result('b', 500)], milestone: null },
      {
        encoding,
        nowMs: Date.parse('2026-01-01T00:00:00.000Z'),
        recency: { windowMs: 0, factor: 1 },
        counter: new SegmentCounter(gptTokenizers),
      },
    ).map((candidate) => candidate.estimate);

  it("reads the stored count of the assembly's encoding", () => {
    const [a, b] = estimates('cl100k_base');
    expect((b ?? 0) - (a ?? 0)).toBe(450);
    const [c, d] = estimates('o200k_base');
    expect(d).toBe(c);
  });
});
