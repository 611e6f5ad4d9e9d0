/** Texts longer than this are counted every time (an assembly's text is seldom repeated; a rule's packet always is). */
const MAX_MEMO_TEXT = 4_000;

/**
 * Remembers the token counts of recent texts: a rule's packet renders to the same text on every firing, in every
 * stream, and counting it again with the BPE tokenizer was a fifth of a stream's input cost. Bounded: when `limit`
 * texts are held, the oldest is forgotten.
 */
export function memoizeTokenCount(count: (text: string) => number, limit = 1_024): (text: string) => number {
  const counts = new Map<string, number>();
  return (text) => {
    if (text.length > MAX_MEMO_TEXT) return count(text);
    const known = counts.get(text);
    if (known !== undefined) return known;
    const tokens = count(text);
    if (counts.size >= limit) counts.delete(counts.keys().next().value as string);
    counts.set(text, tokens);
    return tokens;
  };
}
