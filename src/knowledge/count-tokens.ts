import { gptTokenizers } from '../assembly/gpt-tokenizer-set.js';
import type { TokenCounts } from '../core/token-counts.js';

/**
 * Tokens of a knowledge text in o200k_base, the encoding chunks are cut with. Uses the assembler's tokenizers:
 * special-token strings in stored text (`<|endoftext|>`) count as plain text instead of throwing.
 */
export function countKnowledgeTokens(text: string): number {
  return gptTokenizers.get('o200k_base').count(text);
}

/** Tokens of a chunk in every encoding, counted once at write and stored, so an assembly never recounts them. */
export function countKnowledgeTokensAll(text: string): TokenCounts {
  return gptTokenizers.countAll(text);
}
