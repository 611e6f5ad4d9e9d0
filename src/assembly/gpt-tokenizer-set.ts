import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';
import type { TokenCounts, TokenEncoding } from '../core/token-counts.js';
import type { Tokenizer, TokenizerSet } from './tokenizer.js';

/** Special tokens (`<|endoftext|>` …) found in stored text are ordinary text, never control tokens. */
const PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

const tokenizers: Record<TokenEncoding, Tokenizer> = {
  o200k_base: Object.freeze({ encoding: 'o200k_base' as const, count: (text: string) => countO200k(text, PLAIN_TEXT) }),
  cl100k_base: Object.freeze({ encoding: 'cl100k_base' as const, count: (text: string) => countCl100k(text, PLAIN_TEXT) }),
};

/** The gpt-tokenizer encodings (pure JavaScript, exact for OpenAI models). */
export const gptTokenizers: TokenizerSet = Object.freeze({
  get: (encoding: TokenEncoding) => tokenizers[encoding],
  countAll: (text: string): TokenCounts => ({
    o200k_base: tokenizers.o200k_base.count(text),
    cl100k_base: tokenizers.cl100k_base.count(text),
  }),
});
