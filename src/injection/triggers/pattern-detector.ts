import { PhraseSet } from './phrase-set.js';
import { compileSafeRegex } from './regex-safety.js';
import { DEFAULT_MAX_INPUT_CHARS, tokenize } from './tokenize.js';

/** A named set of regular expressions and/or keywords. */
export interface PatternSet {
  name: string;
  /** Regular-expression sources, matched case-insensitively against the text (its first `maxInputChars`). */
  patterns?: readonly string[] | undefined;
  /** Keywords and phrases, matched on whole words, case-insensitively; a trailing `*` is a word prefix. */
  keywords?: readonly string[] | undefined;
}

export interface PatternDetectorOptions {
  sets: readonly PatternSet[];
  /** Characters of a text that patterns and keywords read (default 4,000). */
  maxInputChars?: number | undefined;
}

/** One set that matched: which keyword or pattern matched first. */
export interface PatternMatch {
  set: string;
  kind: 'keyword' | 'pattern';
  /** The keyword as configured, or the pattern's source. */
  matched: string;
}

interface CompiledPatternSet {
  name: string;
  regexes: { source: string; regex: RegExp }[];
  keywords: PhraseSet;
}

/**
 * The pattern trigger: regex sets and keyword sets, compiled once (invalid or backtracking-prone patterns throw at
 * construction). Stateless; `detect` reports every set that matches a text.
 */
export class PatternDetector {
  private readonly sets: CompiledPatternSet[];
  private readonly maxInputChars: number;

  constructor(options: PatternDetectorOptions) {
    this.maxInputChars = options.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS;
    this.sets = options.sets.map((set) => ({
      name: set.name,
      regexes: (set.patterns ?? []).map((source) => ({ source, regex: compileSafeRegex(source) })),
      keywords: new PhraseSet(set.keywords ?? []),
    }));
  }

  /** The sets that match `text`; pass `tokens` (from `tokenize`) when the caller already has them. */
  detect(text: string, tokens: readonly string[] = tokenize(text, this.maxInputChars)): PatternMatch[] {
    const capped = text.length > this.maxInputChars ? text.slice(0, this.maxInputChars) : text;
    const matches: PatternMatch[] = [];
    for (const set of this.sets) {
      const keyword = set.keywords.find(tokens);
      if (keyword !== undefined) {
        matches.push({ set: set.name, kind: 'keyword', matched: keyword });
        continue;
      }
      const pattern = set.regexes.find(({ regex }) => regex.test(capped));
      if (pattern !== undefined) matches.push({ set: set.name, kind: 'pattern', matched: pattern.source });
    }
    return matches;
  }
}
