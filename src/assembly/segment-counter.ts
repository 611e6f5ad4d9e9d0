import type { TokenEncoding } from '../core/token-counts.js';
import { sha256Hex } from '../updates/content-hash.js';
import { SecondChanceMemo } from './second-chance-memo.js';
import type { TokenizerSet } from './tokenizer.js';

const LONG_TEXT = 2048;

/**
 * One encoding's remembered counts: texts of at most LONG_TEXT characters by themselves, longer ones by their sha256,
 * so memory stays bounded: at most `maxEntries` texts (about 10 MB at worst) and as many 64-character digests.
 */
interface EncodingMemo {
  texts: SecondChanceMemo<string, number>;
  digests: SecondChanceMemo<string, number>;
}

/**
 * Exact token counts of rendered blocks, remembered per (encoding, block text): a block rendered again (the same
 * item in another assembly) is never tokenised twice in this process while it stays in use. Used only to check the
 * final text; item selection runs on the counts stored at write. An assembly looks up about two blocks per item, so
 * a hit is one Map.get (see SecondChanceMemo), keyed by the text itself rather than a prefixed copy of it.
 */
export class SegmentCounter {
  readonly #tokenizers: TokenizerSet;
  readonly #memos: Record<TokenEncoding, EncodingMemo>;
  /** Texts tokenised (misses), for metrics and tests. */
  tokenised = 0;

  constructor(tokenizers: TokenizerSet, maxEntries = 5_000) {
    this.#tokenizers = tokenizers;
    const memo = (): EncodingMemo => ({ texts: new SecondChanceMemo(maxEntries), digests: new SecondChanceMemo(maxEntries) });
    this.#memos = { o200k_base: memo(), cl100k_base: memo() };
  }

  /** Counts remembered (every encoding, texts and digests), for tests. */
  get remembered(): number {
    return Object.values(this.#memos).reduce((sum, memo) => sum + memo.texts.size + memo.digests.size, 0);
  }

  count(encoding: TokenEncoding, text: string): number {
    const { texts, digests } = this.#memos[encoding];
    const long = text.length > LONG_TEXT;
    const memo = long ? digests : texts;
    const key = long ? sha256Hex(text) : text;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const counted = this.#tokenizers.get(encoding).count(text);
    this.tokenised += 1;
    memo.set(key, counted);
    return counted;
  }
}
