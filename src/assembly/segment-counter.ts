import { createHash } from 'node:crypto';
import type { TokenEncoding } from '../core/token-counts.js';
import { LruMap } from './lru-map.js';
import type { TokenizerSet } from './tokenizer.js';

const LONG_TEXT = 2048;

/**
 * Exact token counts of rendered blocks, remembered per (encoding, block text): a block rendered again (the same
 * item in another assembly) is never tokenised twice in this process. Used only to check the final text; item
 * selection runs on the counts stored at write.
 */
export class SegmentCounter {
  readonly #tokenizers: TokenizerSet;
  readonly #counts: Record<TokenEncoding, LruMap<string, number>>;
  /** Texts tokenised (misses), for metrics and tests. */
  tokenised = 0;

  constructor(tokenizers: TokenizerSet, maxEntries = 5_000) {
    this.#tokenizers = tokenizers;
    this.#counts = { o200k_base: new LruMap(maxEntries), cl100k_base: new LruMap(maxEntries) };
  }

  count(encoding: TokenEncoding, text: string): number {
    const memo = this.#counts[encoding];
    // Long blocks are remembered by their sha256, so the memo's memory stays bounded.
    const key = text.length > LONG_TEXT ? `h${createHash('sha256').update(text).digest('base64')}` : `t${text}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const counted = this.#tokenizers.get(encoding).count(text);
    this.tokenised += 1;
    memo.set(key, counted);
    return counted;
  }
}
