import { tokenize } from './tokenize.js';

interface MultiWordPhrase {
  rest: readonly string[];
  phrase: string;
}

/**
 * A set of keywords and phrases compiled once and matched against the tokens of a text: whole words,
 * case-insensitive, phrases as consecutive tokens (`"thanks that's all"`), and a trailing `*` as a word prefix
 * (`"stress*"` matches `stressed`, `stressful`). Matching costs one or two map look-ups per token.
 */
export class PhraseSet {
  private readonly single = new Map<string, string>();
  private readonly multi = new Map<string, MultiWordPhrase[]>();
  private readonly prefixes: { prefix: string; phrase: string }[] = [];
  /** The phrases that were compiled (those with at least one word). */
  readonly phrases: readonly string[];

  constructor(phrases: readonly string[]) {
    const kept: string[] = [];
    for (const phrase of phrases) {
      const isPrefix = phrase.endsWith('*');
      const words = tokenize(isPrefix ? phrase.slice(0, -1) : phrase);
      const first = words[0];
      if (first === undefined) continue;
      kept.push(phrase);
      if (isPrefix && words.length === 1) this.prefixes.push({ prefix: first, phrase });
      else if (words.length === 1) {
        if (!this.single.has(first)) this.single.set(first, phrase);
      } else {
        const list = this.multi.get(first) ?? [];
        list.push({ rest: words.slice(1), phrase });
        this.multi.set(first, list);
      }
    }
    this.phrases = kept;
  }

  /** Whether a phrase compiles to at least one word (what validation asks of every keyword). */
  static hasWords(phrase: string): boolean {
    return tokenize(phrase.endsWith('*') ? phrase.slice(0, -1) : phrase).length > 0;
  }

  /** The first phrase found, in token order; undefined when none is present. */
  find(tokens: readonly string[]): string | undefined {
    for (let index = 0; index < tokens.length; index++) {
      const found = this.matchAt(tokens, index);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Every distinct phrase found, in the order they first appear. */
  findAll(tokens: readonly string[]): string[] {
    const found: string[] = [];
    for (let index = 0; index < tokens.length; index++) {
      const phrase = this.matchAt(tokens, index);
      if (phrase !== undefined && !found.includes(phrase)) found.push(phrase);
    }
    return found;
  }

  private matchAt(tokens: readonly string[], index: number): string | undefined {
    const token = tokens[index] as string;
    const single = this.single.get(token);
    if (single !== undefined) return single;
    const candidates = this.multi.get(token);
    if (candidates !== undefined) {
      for (const candidate of candidates) {
        if (matchesRest(tokens, index + 1, candidate.rest)) return candidate.phrase;
      }
    }
    for (const { prefix, phrase } of this.prefixes) if (token.startsWith(prefix)) return phrase;
    return undefined;
  }
}

function matchesRest(tokens: readonly string[], start: number, rest: readonly string[]): boolean {
  if (start + rest.length > tokens.length) return false;
  for (let offset = 0; offset < rest.length; offset++) if (tokens[start + offset] !== rest[offset]) return false;
  return true;
}
