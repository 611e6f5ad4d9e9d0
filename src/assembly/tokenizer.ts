import type { TokenCounts, TokenEncoding } from '../core/token-counts.js';

/** Counts tokens of a text in one encoding. Special-token strings in the text count as plain text. */
export interface Tokenizer {
  readonly encoding: TokenEncoding;
  count(text: string): number;
}

/** Every encoding's tokenizer: what a write counts with once, so an assembly never recounts stored text. */
export interface TokenizerSet {
  get(encoding: TokenEncoding): Tokenizer;
  /** Counts in every encoding (done once, when a message or a completion is written). */
  countAll(text: string): TokenCounts;
}
