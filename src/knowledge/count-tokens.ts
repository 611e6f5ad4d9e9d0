import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * Tokens of a knowledge text in o200k_base, counted once at write and stored with each chunk. One small function
 * so that it can follow the assembler's tokenizer port (src/assembly/) once that exists.
 */
export function countKnowledgeTokens(text: string): number {
  return countTokens(text);
}
