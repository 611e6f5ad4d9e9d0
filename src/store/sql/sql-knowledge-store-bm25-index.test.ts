import { describe, expect, it } from 'vitest';
import { Bm25TopKIndex, bm25TermPart, type TermPostings } from './sql-knowledge-store-bm25-index.js';

/** Chunk i's ids: three chunks per item, so that chunks share an item id. */
function idsOf(chunk: number) {
  return { itemId: `item-${Math.floor(chunk / 3)}`, chunkIndex: chunk % 3 };
}

/** A corpus as postings: chunk i holds term t `frequency(i, t)` times (0: not at all). */
function build(chunks: number, terms: number, frequency: (chunk: number, term: number) => number) {
  const seqs = Array.from({ length: chunks }, (_, index) => 1000 + index * 3);
  const itemIds = seqs.map((_, chunk) => idsOf(chunk).itemId);
  const chunkIndexes = seqs.map((_, chunk) => idsOf(chunk).chunkIndex);
  const lengths = seqs.map((_, chunk) => {
    let length = 0;
    for (let term = 0; term < terms; term += 1) length += frequency(chunk, term);
    return Math.max(1, length);
  });
  const postings: TermPostings[] = Array.from({ length: terms }, (_, term) => {
    const holders = seqs.flatMap((seq, chunk) => (frequency(chunk, term) > 0 ? [{ seq, chunk }] : []));
    return {
      term: `t${term}`,
      seqs: holders.map(({ seq }) => seq),
      frequencies: holders.map(({ chunk }) => frequency(chunk, term)),
    };
  });
  return {
    index: new Bm25TopKIndex({ seqs, lengths, itemIds, chunkIndexes }, postings),
    coverDensity: new Bm25TopKIndex({ seqs, lengths, itemIds, chunkIndexes }, postings, 'coverDensity'),
    seqs,
    lengths,
  };
}

/** Every chunk scored: the reference the threshold algorithm must agree with. */
function exhaustive(
  corpus: ReturnType<typeof build>,
  frequency: (chunk: number, term: number) => number,
  query: { term: number; idf: number }[],
  limit: number,
  averageLength: number,
) {
  return corpus.seqs
    .map((seq, chunk) => {
      let raw = 0;
      for (const { term, idf } of query) {
        const tf = frequency(chunk, term);
        if (tf > 0) raw += idf * bm25TermPart(tf, corpus.lengths[chunk] ?? 1, averageLength);
      }
      return { seq, raw };
    })
    .filter(({ raw }) => raw > 0)
    .sort((left, right) => right.raw - left.raw || left.seq - right.seq)
    .slice(0, limit);
}

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

describe('Bm25TopKIndex', () => {
  // 100 terms: the common ones exceed the dense-array cap (64), rare ones have none, and one chunk holds a term 300
  // times (more than a dense byte holds): every way a frequency is read is compared with the exhaustive scoring.
  const next = random(42);
  const chunks = 600;
  const table = Array.from({ length: chunks }, () =>
    Array.from({ length: 100 }, (_, term) => (next() < (term < 80 ? 0.6 : 0.02) ? 1 + Math.floor(next() * 6) : 0)),
  );
  (table[7] as number[])[3] = 300;
  const frequency = (chunk: number, term: number) => table[chunk]?.[term] ?? 0;
  const corpus = build(chunks, 100, frequency);

  it('finds the same top-k as scoring every chunk (common, rare and overflowing terms)', () => {
    const queries = [[3], [3, 4], [85], [1, 90, 99], [0, 1, 2, 3, 4, 5], [70, 81]];
    for (const terms of queries) {
      for (const limit of [1, 10, 60]) {
        for (const averageLength of [corpus.index.averageLength, corpus.index.averageLength * 1.3]) {
          const query = terms.map((term, position) => ({ term, idf: 0.5 + position * 0.7 }));
          const found = corpus.index.search(
            query.map(({ term, idf }) => ({ term: `t${term}`, idf })),
            limit,
            averageLength,
          );
          const expected = exhaustive(corpus, frequency, query, limit, averageLength);
          expect(found.map(({ raw }) => raw)).toEqual(expected.map(({ raw }) => expect.closeTo(raw, 9)));
          // Equal scores may come in either order at the cut; the scores and the set above the cut agree.
          const cut = expected.at(-1)?.raw ?? 0;
          const above = (list: { seq: number; raw: number }[]) =>
            list
              .filter(({ raw }) => raw > cut + 1e-9)
              .map(({ seq }) => seq)
              .sort();
          expect(above(found)).toEqual(above(expected));
        }
      }
    }
  });

  it('finds the same top-k as scoring every chunk by cover density (ts_rank_cd of an OR query)', () => {
    for (const terms of [[3], [3, 4], [85], [1, 90, 99], [0, 1, 2, 3, 4, 5]]) {
      for (const limit of [1, 10, 60]) {
        const found = corpus.coverDensity.search(
          terms.map((term) => ({ term: `t${term}`, idf: 1 })),
          limit,
          corpus.coverDensity.averageLength,
        );
        const expected = corpus.seqs
          .map((seq, chunk) => {
            const occurrences = terms.reduce((sum, term) => sum + frequency(chunk, term), 0);
            return { seq, raw: occurrences / Math.log((corpus.lengths[chunk] ?? 1) + 1) };
          })
          .filter(({ raw }) => raw > 0)
          .sort((left, right) => right.raw - left.raw || left.seq - right.seq)
          .slice(0, limit);
        expect(found.map(({ raw }) => raw)).toEqual(expected.map(({ raw }) => expect.closeTo(raw, 9)));
      }
    }
  });

  it("returns each chunk's item id and chunk index with its seq, as given at the build", () => {
    for (const index of [corpus.index, corpus.coverDensity]) {
      for (const terms of [[3], [85], [0, 1, 2, 3, 4, 5]]) {
        const found = index.search(
          terms.map((term) => ({ term: `t${term}`, idf: 1 })),
          60,
          index.averageLength,
        );
        expect(found.length).toBeGreaterThan(0);
        for (const { seq, ids } of found) expect(ids).toEqual(idsOf(corpus.seqs.indexOf(seq)));
      }
    }
    // Chunks of one item come back with the same id.
    const items = corpus.index.search([{ term: 't0', idf: 1 }], 60, corpus.index.averageLength).map(({ ids }) => ids.itemId);
    expect(new Set(items).size).toBeLessThan(items.length);
  });

  it('keeps answering after its per-search marks wrap around', () => {
    const query = [{ term: 't3', idf: 1 }];
    const first = corpus.index.search(query, 5, corpus.index.averageLength);
    for (let round = 0; round < 70_000; round += 1) corpus.index.search(query, 1, corpus.index.averageLength);
    expect(corpus.index.search(query, 5, corpus.index.averageLength)).toEqual(first);
  });

  it('answers nothing for unknown terms and a limit below one', () => {
    expect(corpus.index.search([{ term: 'missing', idf: 1 }], 10, corpus.index.averageLength)).toEqual([]);
    expect(corpus.index.search([{ term: 't3', idf: 1 }], 0, corpus.index.averageLength)).toEqual([]);
    expect(corpus.index.documentFrequency('t3')).toBe(table.filter((row) => (row[3] ?? 0) > 0).length);
  });
});
