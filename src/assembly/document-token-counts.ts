import type { TokenCounts } from '../core/token-counts.js';
import { escapeBody } from './render.js';
import type { TokenizerSet } from './tokenizer.js';

/**
 * Counts a context document's body as the assembler renders it (its canonical JSON, forged tags escaped), in every
 * encoding: the update service calls it when a version is written, so assemblies read the stored counts.
 */
export function documentTokenCounter(tokenizers: TokenizerSet): (canonicalValue: string) => TokenCounts {
  return (canonicalValue) => tokenizers.countAll(escapeBody(canonicalValue));
}
