import type { TokenEncoding } from '../core/token-counts.js';
import { TOKEN_ENCODINGS } from '../core/token-counts.js';

/** How an assembly counts tokens for a target model. */
export interface ModelTokenizer {
  model: string | null;
  encoding: TokenEncoding;
  /** False for models whose tokenizer is public (exact counts); true for an approximation. */
  approximate: boolean;
  /** An approximated model's tokens ≈ `encoding` tokens × factor (rounded up); 1 when exact. */
  factor: number;
}

/** Model name prefixes with a public tokenizer, most specific first. */
const EXACT: Array<[RegExp, TokenEncoding]> = [
  [/^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4|gpt-realtime|gpt-audio|codex)/, 'o200k_base'],
  [/^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada-002)/, 'cl100k_base'],
];

/**
 * Models whose tokenizer is not public: counted with a public encoding and scaled up by a conservative safety
 * factor (an estimate, not a measurement: see docs/assembly.md). The budget then holds for the estimate only.
 */
const APPROXIMATE: Array<[RegExp, TokenEncoding, number]> = [
  [/^claude/, 'cl100k_base', 1.25],
  [/^gemini|^gemma/, 'o200k_base', 1.15],
];
/** Any other model (Llama, Mistral, Qwen, …): o200k_base × 1.3. */
const FALLBACK_FACTOR = 1.3;

/** The encoding (and approximation) for a target model; `undefined` → o200k_base, exact. */
export function resolveModelTokenizer(model: string | undefined): ModelTokenizer {
  if (model === undefined || model === '') return { model: null, encoding: 'o200k_base', approximate: false, factor: 1 };
  const name = model.trim().toLowerCase();
  const bare = name.includes('/') ? name.slice(name.lastIndexOf('/') + 1) : name;
  if ((TOKEN_ENCODINGS as readonly string[]).includes(bare)) {
    return { model, encoding: bare as TokenEncoding, approximate: false, factor: 1 };
  }
  for (const [pattern, encoding] of EXACT) if (pattern.test(bare)) return { model, encoding, approximate: false, factor: 1 };
  for (const [pattern, encoding, factor] of APPROXIMATE)
    if (pattern.test(bare)) return { model, encoding, approximate: true, factor };
  return { model, encoding: 'o200k_base', approximate: true, factor: FALLBACK_FACTOR };
}

/** The budget in the counting encoding's tokens, so that ceil(count × factor) never exceeds `budget`. */
export function effectiveBudget(budget: number, tokenizer: ModelTokenizer): number {
  return tokenizer.approximate ? Math.floor(budget / tokenizer.factor) : budget;
}
