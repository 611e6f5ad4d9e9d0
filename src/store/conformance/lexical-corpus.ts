import type { KnowledgeItemRecord } from '../knowledge-store.js';

/** A small vocabulary, so that terms are common, scores tie and FTS5's clamped idf comes into play. */
export function corpus(seed: number, count: number, prefix: string): KnowledgeItemRecord[] {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const vocabulary = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'sigma', 'kappa', 'zeta', 'rare', 'unique'];
  const word = () => vocabulary[Math.floor(random() ** 1.5 * vocabulary.length)] ?? 'alpha';
  return Array.from({ length: count }, (_, index) => {
    const terms = Array.from({ length: 3 + Math.floor(random() * 30) }, word);
    return {
      id: `${prefix}-${index}`,
      metadata: {},
      milestone: null,
      createdAt: '2025-01-15T12:00:00.000Z',
      embedder: 'none:4',
      chunks: [
        {
          index: 0,
          text: terms.join(' '),
          tokens: { o200k_base: terms.length, cl100k_base: terms.length },
          terms,
          embedding: new Float32Array(4),
        },
      ],
    };
  });
}

/** Queries over that vocabulary: common, rare, absent and mixed terms. */
export const QUERIES = [
  ['alpha'],
  ['rare'],
  ['unique', 'zeta'],
  ['alpha', 'beta', 'gamma'],
  ['kappa', 'nothing'],
  ['delta', 'rare'],
];
