/**
 * Lexical terms: the words every backend indexes and every query looks up, computed once here so that memory,
 * SQLite (FTS5) and PostgreSQL (tsvector) see exactly the same terms. Lower case, diacritics removed, split on
 * anything that is not a letter or a digit, English stop words dropped, plural and -ing/-ed endings stripped.
 */

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its ' +
    'me my no not of on or our she so than that the their them then there these they this to too us was we were what ' +
    'when where which who whom why will with would you your'
  ).split(' '),
);

/** Longest term kept (longer runs are cut): keeps index entries bounded. */
const MAX_TERM_LENGTH = 40;

/** Strips the commonest English inflections; leaves short words alone. */
export function stemTerm(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 4) return undouble(word.slice(0, -2));
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

function undouble(stem: string): string {
  const last = stem.at(-1);
  return last !== undefined && last === stem.at(-2) && !'lsz'.includes(last) ? stem.slice(0, -1) : stem;
}

/** The words of a text, lower-cased and without diacritics (stop words included). */
export function words(text: string): string[] {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  return folded.split(/[^\p{L}\p{N}]+/u).filter((word) => word.length > 0);
}

/** The lexical terms of a text, in order, with repeats (term frequencies). */
export function textTerms(text: string): string[] {
  const terms: string[] = [];
  for (const word of words(text)) {
    if (STOP_WORDS.has(word)) continue;
    terms.push(stemTerm(word).slice(0, MAX_TERM_LENGTH));
  }
  return terms;
}

/** The distinct terms of a query, in first-seen order. */
export function queryTerms(query: string): string[] {
  return [...new Set(textTerms(query))];
}
