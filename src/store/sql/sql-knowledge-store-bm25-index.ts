import { BM25 } from '../knowledge-store.js';
import type { ChunkIds } from './sql-knowledge-store-dialect.js';
import { TopK } from './sql-knowledge-store-top-k.js';

/** Every chunk of a tenant, position by position: its seq, length (lexical term count), item id and index in the item. */
export interface IndexedChunks {
  seqs: readonly number[];
  lengths: readonly number[];
  itemIds: readonly string[];
  chunkIndexes: readonly number[];
}

/** One term's postings as read from the database: each chunk (seq) holding it and how often. */
export interface TermPostings {
  term: string;
  seqs: readonly number[];
  frequencies: readonly number[];
}

/** A query term with the weight the caller computed for it (its idf); unknown terms are skipped. */
export interface WeightedTerm {
  term: string;
  idf: number;
}

/** A ranked chunk: its seq, raw score (before any normalisation) and ids (as of the build). */
export interface RawScore {
  seq: number;
  raw: number;
  ids: ChunkIds;
}

/**
 * When the average length moved since the build, stored impacts are no longer the scores' own terms: the bound is
 * widened by the ratio and this much more (rounding). At the build's average length no widening is needed: a
 * chunk's score and the bound are the same sums of the same products, and rounding is monotone.
 */
const BOUND_SLACK = 1 + 1e-9;

/** Terms held by at least this share of the chunks get a dense frequency array … */
const DENSE_MIN_SHARE = 1 / 16;
/** … the most common ones first, at most this many (one byte per chunk each). */
const MAX_DENSE_TERMS = 64;
/** A dense entry that does not hold the frequency (255 or more): the forward index does. */
const DENSE_OVERFLOW = 0xff;

/** The frequency of `termId` in a chunk's forward entries `[start, end)` (ascending term ids), 0 when absent. */
function forwardLookup(terms: Uint32Array, frequencies: Uint16Array, start: number, end: number, termId: number): number {
  let low = start;
  let high = end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((terms[middle] as number) < termId) low = middle + 1;
    else high = middle;
  }
  return low < end && terms[low] === termId ? (frequencies[low] as number) : 0;
}

/** Dense frequency arrays of the most common terms (see `Bm25TopKIndex`), from the forward index. */
function denseFrequencies(
  count: number,
  documentFrequency: Uint32Array,
  forwardStart: Uint32Array,
  forwardTerm: Uint32Array,
  forwardFrequency: Uint16Array,
): (Uint8Array | undefined)[] {
  const dense: (Uint8Array | undefined)[] = new Array(documentFrequency.length).fill(undefined);
  const common = [...documentFrequency.keys()]
    .filter((termId) => count > 0 && (documentFrequency[termId] as number) >= count * DENSE_MIN_SHARE)
    .sort((left, right) => (documentFrequency[right] as number) - (documentFrequency[left] as number))
    .slice(0, MAX_DENSE_TERMS);
  for (const termId of common) dense[termId] = new Uint8Array(count);
  for (let chunk = 0; chunk < count; chunk += 1) {
    for (let slot = forwardStart[chunk] as number; slot < (forwardStart[chunk + 1] as number); slot += 1) {
      const frequencies = dense[forwardTerm[slot] as number];
      if (frequencies !== undefined) frequencies[chunk] = Math.min(DENSE_OVERFLOW, forwardFrequency[slot] as number);
    }
  }
  return dense;
}

/** Each distinct item id once, and each chunk's position in that list. */
function internItemIds(chunkItemIds: readonly string[]): { itemIds: string[]; chunkItems: Uint32Array } {
  const positions = new Map<string, number>();
  const itemIds: string[] = [];
  const chunkItems = new Uint32Array(chunkItemIds.length);
  chunkItemIds.forEach((itemId, chunk) => {
    let position = positions.get(itemId);
    if (position === undefined) {
      position = itemIds.length;
      positions.set(itemId, position);
      itemIds.push(itemId);
    }
    chunkItems[chunk] = position;
  });
  return { itemIds, chunkItems };
}

/**
 * How an index scores a chunk, Σ over the query's terms of weight × part:
 * - `bm25`: the weight is the term's idf, the part BM25's term-frequency part (`bm25TermPart`);
 * - `coverDensity`: PostgreSQL's `ts_rank_cd` of an OR query with normalisation 1 (every occurrence is a cover worth
 *   the D weight, the sum divided by ln(1 + the chunk's positions)): the weight is 1, the part tf / ln(1 + length).
 *   Callers map the raw sum r to ts_rank_cd's value (0.1 r / (1 + 0.1 r) with normalisation 32).
 */
export type IndexScoring = 'bm25' | 'coverDensity';

/** The cover-density part of one term in one chunk (see IndexScoring). */
export function coverDensityPart(frequency: number, length: number): number {
  return frequency / Math.log(length + 1);
}

/** BM25's term-frequency part for one chunk: tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)). */
export function bm25TermPart(frequency: number, length: number, averageLength: number): number {
  const norm = 1 - BM25.b + (BM25.b * length) / (averageLength > 0 ? averageLength : 1);
  return (frequency * (BM25.k1 + 1)) / (frequency + BM25.k1 * norm);
}

/**
 * An immutable in-process index of one tenant's chunks, for exact top-k without scoring every match, by BM25 or by
 * cover density (see IndexScoring): each term's postings are sorted by their impact (the term's part of the score; for
 * BM25 at the average length of the build),
 * and a search walks the query terms' lists in step, scoring each chunk it meets exactly (a forward index gives its
 * other frequencies), until the k-th best score reaches the most any unseen chunk could still get (Fagin's threshold
 * algorithm).
 */
export class Bm25TopKIndex {
  readonly averageLength: number;
  readonly scoring: IndexScoring;
  readonly #termIds: Map<string, number>;
  readonly #documentFrequency: Uint32Array;
  readonly #seqs: Float64Array;
  readonly #lengths: Uint32Array;
  /**
   * Each chunk's item as a position in `#itemIds` (distinct ids, each string held once however many chunks its item
   * has) and its index in the item: a search returns them, so its caller needs no row read to rank.
   */
  readonly #itemIds: string[];
  readonly #chunkItems: Uint32Array;
  readonly #chunkIndexes: Int32Array;
  /** Postings by term: chunk indexes and impacts, best impact first. */
  readonly #postingStart: Uint32Array;
  readonly #postingChunk: Uint32Array;
  readonly #postingImpact: Float64Array;
  /** Forward index by chunk: term ids (ascending) and frequencies. */
  readonly #forwardStart: Uint32Array;
  readonly #forwardTerm: Uint32Array;
  readonly #forwardFrequency: Uint16Array;
  /**
   * Frequencies of the most common terms by chunk (Uint8, `DENSE_OVERFLOW` for "look in the forward index"): a search
   * scores every chunk it meets, and for common terms one byte per chunk beats a search of the chunk's forward entries
   * (that memory is out of cache; these arrays are not). Undefined for the other terms.
   */
  readonly #dense: (Uint8Array | undefined)[];
  /** Per-search marks of the chunks already scored (a search's stamp, so no clearing between searches). */
  readonly #seen: Uint16Array;
  #stamp = 0;

  /** `chunks`: every chunk of the tenant; `terms`: every term's postings. */
  constructor(chunks: IndexedChunks, terms: readonly TermPostings[], scoring: IndexScoring = 'bm25') {
    this.scoring = scoring;
    const count = chunks.seqs.length;
    this.#seqs = Float64Array.from(chunks.seqs);
    this.#lengths = Uint32Array.from(chunks.lengths);
    const interned = internItemIds(chunks.itemIds);
    this.#itemIds = interned.itemIds;
    this.#chunkItems = interned.chunkItems;
    this.#chunkIndexes = Int32Array.from(chunks.chunkIndexes);
    let totalLength = 0;
    for (const length of this.#lengths) totalLength += length;
    this.averageLength = count === 0 ? 1 : totalLength / count;
    const chunkIndex = new Map<number, number>();
    chunks.seqs.forEach((seq, index) => {
      chunkIndex.set(seq, index);
    });

    this.#termIds = new Map();
    this.#documentFrequency = new Uint32Array(terms.length);
    this.#postingStart = new Uint32Array(terms.length + 1);
    const forwardCount = new Uint32Array(count + 1);
    let postings = 0;
    for (const { seqs } of terms) postings += seqs.length;
    this.#postingChunk = new Uint32Array(postings);
    this.#postingImpact = new Float64Array(postings);
    let position = 0;
    terms.forEach(({ term, seqs, frequencies }, termId) => {
      this.#termIds.set(term, termId);
      this.#postingStart[termId] = position;
      const entries: { chunk: number; impact: number }[] = [];
      seqs.forEach((seq, index) => {
        const chunk = chunkIndex.get(seq);
        if (chunk === undefined) return;
        const length = this.#lengths[chunk] ?? 0;
        const frequency = frequencies[index] ?? 1;
        const impact =
          scoring === 'bm25' ? bm25TermPart(frequency, length, this.averageLength) : coverDensityPart(frequency, length);
        entries.push({ chunk, impact });
        forwardCount[chunk + 1] = (forwardCount[chunk + 1] ?? 0) + 1;
      });
      entries.sort((left, right) => right.impact - left.impact || left.chunk - right.chunk);
      for (const { chunk, impact } of entries) {
        this.#postingChunk[position] = chunk;
        this.#postingImpact[position] = impact;
        position += 1;
      }
      this.#documentFrequency[termId] = entries.length;
    });
    this.#postingStart[terms.length] = position;

    this.#forwardStart = new Uint32Array(count + 1);
    for (let chunk = 0; chunk < count; chunk += 1) {
      this.#forwardStart[chunk + 1] = (this.#forwardStart[chunk] ?? 0) + (forwardCount[chunk + 1] ?? 0);
    }
    this.#forwardTerm = new Uint32Array(position);
    this.#forwardFrequency = new Uint16Array(position);
    const fill = this.#forwardStart.slice(0, count);
    terms.forEach(({ seqs, frequencies }, termId) => {
      seqs.forEach((seq, index) => {
        const chunk = chunkIndex.get(seq);
        if (chunk === undefined) return;
        const slot = fill[chunk] ?? 0;
        fill[chunk] = slot + 1;
        this.#forwardTerm[slot] = termId;
        this.#forwardFrequency[slot] = Math.min(0xffff, frequencies[index] ?? 1);
      });
    });
    this.#dense = denseFrequencies(count, this.#documentFrequency, this.#forwardStart, this.#forwardTerm, this.#forwardFrequency);
    this.#seen = new Uint16Array(count);
  }

  /** Chunks indexed. */
  get size(): number {
    return this.#seqs.length;
  }

  /** Chunks holding `term` (0 when unknown). */
  documentFrequency(term: string): number {
    const termId = this.#termIds.get(term);
    return termId === undefined ? 0 : (this.#documentFrequency[termId] ?? 0);
  }

  /**
   * The `limit` chunks with the highest BM25 over `terms` (Σ idf × term part at `averageLength`), best first; a chunk
   * must hold at least one of the terms. Exact: the same set an exhaustive scoring would give (ties at the cut aside).
   * Each comes with its item id and chunk index as read at the build.
   */
  search(terms: readonly WeightedTerm[], limit: number, averageLength: number): RawScore[] {
    const query = terms
      .map(({ term, idf }) => ({ termId: this.#termIds.get(term), idf }))
      .filter((entry): entry is { termId: number; idf: number } => entry.termId !== undefined && entry.idf > 0)
      .sort((left, right) => left.termId - right.termId);
    const count = query.length;
    if (count === 0 || limit < 1) return [];
    const bm25 = this.scoring === 'bm25';
    // Cover-density parts do not depend on the average length (only rounding: a chunk's sum is divided once).
    const widen = !bm25
      ? BOUND_SLACK
      : averageLength === this.averageLength
        ? 1
        : BOUND_SLACK * Math.max(1, averageLength / this.averageLength);
    const termIds = Uint32Array.from(query, ({ termId }) => termId);
    const idfs = Float64Array.from(query, ({ idf }) => idf);
    const cursors = Uint32Array.from(query, ({ termId }) => this.#postingStart[termId] ?? 0);
    const ends = Uint32Array.from(query, ({ termId }) => this.#postingStart[termId + 1] ?? 0);
    // BM25's term part as tf (k1 + 1) / (tf + base + perLength × dl), the same arithmetic as bm25TermPart.
    const average = averageLength > 0 ? averageLength : 1;
    const top = new TopK(limit);
    this.#stamp = (this.#stamp + 1) & 0xffff;
    if (this.#stamp === 0) {
      this.#seen.fill(0);
      this.#stamp = 1;
    }
    const stamp = this.#stamp;
    const seen = this.#seen;
    const dense = query.map(({ termId }) => this.#dense[termId]);
    const postingChunk = this.#postingChunk;
    const postingImpact = this.#postingImpact;
    const forwardStart = this.#forwardStart;
    const forwardTerm = this.#forwardTerm;
    const forwardFrequency = this.#forwardFrequency;
    const lengths = this.#lengths;
    const k1 = BM25.k1;
    const b = BM25.b;
    for (;;) {
      let bound = 0;
      let active = false;
      for (let index = 0; index < count; index += 1) {
        const cursor = cursors[index] as number;
        if (cursor >= (ends[index] as number)) continue;
        active = true;
        bound += (idfs[index] as number) * (postingImpact[cursor] as number);
        const chunk = postingChunk[cursor] as number;
        cursors[index] = cursor + 1;
        if (seen[chunk] === stamp) continue;
        seen[chunk] = stamp;
        // The chunk's exact score: each query term's frequency from its dense array, else from the chunk's forward
        // entries (ascending by term id: a binary search).
        const length = lengths[chunk] as number;
        const norm = bm25 ? 1 - b + (b * length) / average : Math.log(length + 1);
        let score = 0;
        for (let term = 0; term < count; term += 1) {
          const frequencies = dense[term];
          let frequency = frequencies === undefined ? DENSE_OVERFLOW : (frequencies[chunk] as number);
          if (frequency === DENSE_OVERFLOW) {
            frequency = forwardLookup(
              forwardTerm,
              forwardFrequency,
              forwardStart[chunk] as number,
              forwardStart[chunk + 1] as number,
              termIds[term] as number,
            );
          }
          if (frequency > 0) {
            score += (idfs[term] as number) * (bm25 ? (frequency * (k1 + 1)) / (frequency + k1 * norm) : frequency);
          }
        }
        // Cover density: the weighted occurrences over ln(1 + length), divided once as ts_rank_cd does.
        if (!bm25) score /= norm;
        top.offer(chunk, score);
      }
      if (!active || (top.full && top.least >= bound * widen)) break;
    }
    return top.sorted().map(({ chunk, score }) => ({
      seq: this.#seqs[chunk] ?? 0,
      raw: score,
      ids: { itemId: this.#itemIds[this.#chunkItems[chunk] ?? 0] ?? '', chunkIndex: this.#chunkIndexes[chunk] ?? 0 },
    }));
  }
}
