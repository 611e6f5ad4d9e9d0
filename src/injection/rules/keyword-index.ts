import { tokenize } from '../triggers/tokenize.js';

interface Entry {
  slot: number;
  rest: readonly string[];
  phrase: string;
}

/**
 * Every keyword of a compiled rule set in one index, so a message's tokens are scanned once for all rules: each
 * keyword list (a keyword rule, a named topic, a predictive event's keywords) gets a slot, and `scan` writes the
 * first phrase found per slot. Matching is the same as `PhraseSet` (whole words, phrases, trailing `*` prefixes).
 */
export class KeywordIndex {
  private readonly byFirst = new Map<string, Entry[]>();
  private readonly prefixes: { slot: number; prefix: string; phrase: string }[] = [];
  /** The number of slots handed out. */
  slots = 0;

  /** Adds one keyword list; returns its slot. */
  add(phrases: readonly string[]): number {
    const slot = this.slots++;
    for (const phrase of phrases) {
      const isPrefix = phrase.endsWith('*');
      const words = tokenize(isPrefix ? phrase.slice(0, -1) : phrase);
      const first = words[0];
      if (first === undefined) continue;
      if (isPrefix && words.length === 1) {
        this.prefixes.push({ slot, prefix: first, phrase });
        continue;
      }
      const entries = this.byFirst.get(first) ?? [];
      entries.push({ slot, rest: words.slice(1), phrase });
      this.byFirst.set(first, entries);
    }
    return slot;
  }

  /** Writes into `hits[slot]` the first phrase of each slot found in `tokens` (other slots become undefined). */
  scan(tokens: readonly string[], hits: (string | undefined)[]): void {
    hits.fill(undefined);
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index] as string;
      const entries = this.byFirst.get(token);
      if (entries !== undefined) {
        for (const entry of entries) {
          if (hits[entry.slot] === undefined && restMatches(tokens, index + 1, entry.rest)) hits[entry.slot] = entry.phrase;
        }
      }
      for (const entry of this.prefixes) {
        if (hits[entry.slot] === undefined && token.startsWith(entry.prefix)) hits[entry.slot] = entry.phrase;
      }
    }
  }
}

function restMatches(tokens: readonly string[], start: number, rest: readonly string[]): boolean {
  if (start + rest.length > tokens.length) return false;
  for (let offset = 0; offset < rest.length; offset++) if (tokens[start + offset] !== rest[offset]) return false;
  return true;
}
