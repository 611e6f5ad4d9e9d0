/** The default number of characters of one text the detectors read (longer input is cut, not rejected). */
export const DEFAULT_MAX_INPUT_CHARS = 4_000;
/** The most tokens one text yields. */
export const MAX_TOKENS = 512;

const WORD = /[a-z0-9\u00c0-\uffff]+(?:'[a-z]+)*/g;

/**
 * Splits a text into lower-case word tokens (letters, digits, inner apostrophes: `i'm`, `don't`), reading at most
 * `maxChars` characters and keeping at most {@link MAX_TOKENS} tokens. Curly apostrophes count as straight ones.
 * Every detector and rule reads these tokens, so a message is tokenized once and the tokens are shared.
 */
export function tokenize(text: string, maxChars: number = DEFAULT_MAX_INPUT_CHARS): string[] {
  let source = text.length > maxChars ? text.slice(0, maxChars) : text;
  source = source.toLowerCase();
  if (source.includes('\u2019')) source = source.replaceAll('\u2019', "'");
  const tokens: string[] = [];
  WORD.lastIndex = 0;
  for (let match = WORD.exec(source); match !== null; match = WORD.exec(source)) {
    tokens.push(match[0]);
    if (tokens.length >= MAX_TOKENS) break;
  }
  return tokens;
}

/** A 32-bit FNV-1a hash of a token: what bounded windows store instead of the strings themselves. */
export function hashToken(token: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < token.length; index++) {
    hash ^= token.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
