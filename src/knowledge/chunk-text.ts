export interface ChunkOptions {
  /** Most tokens a chunk holds (a single word longer than that is still one chunk). */
  maxTokens: number;
  /** Tokens of the previous chunk's end repeated at the start of the next one. */
  overlapTokens: number;
}

export interface TextChunk {
  text: string;
  tokens: number;
}

/** Sentences (or lines), each with the whitespace that follows it, so that joining them gives the text back. */
function sentences(text: string): string[] {
  return text.match(/[^.!?\n]*(?:[.!?]+|\n+|$)\s*/g)?.filter((part) => part.length > 0) ?? [];
}

/** A unit longer than a chunk is cut at word boundaries. */
function splitLong(unit: string, maxTokens: number, count: (text: string) => number): string[] {
  const pieces = unit.match(/\S+\s*/g) ?? [unit];
  const parts: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current !== '' && count(current + piece) > maxTokens) {
      parts.push(current);
      current = '';
    }
    current += piece;
  }
  if (current !== '') parts.push(current);
  return parts;
}

/**
 * Cuts a text into chunks of at most `maxTokens` tokens at sentence boundaries (word boundaries for longer
 * sentences), each chunk but the first starting with the last sentences of the previous one, up to
 * `overlapTokens`. A text that fits is one chunk, unchanged. Token counts are those of each chunk's trimmed text.
 */
export function chunkText(text: string, options: ChunkOptions, count: (text: string) => number): TextChunk[] {
  const whole = text.trim();
  const wholeTokens = count(whole);
  if (wholeTokens <= options.maxTokens) return [{ text: whole, tokens: wholeTokens }];

  const units = sentences(whole).flatMap((unit) =>
    count(unit) > options.maxTokens ? splitLong(unit, options.maxTokens, count) : [unit],
  );
  const chunks: TextChunk[] = [];
  let current: string[] = [];
  let fresh = false;
  const flush = () => {
    const chunk = current.join('').trim();
    if (chunk !== '') chunks.push({ text: chunk, tokens: count(chunk) });
    // Carry the tail of this chunk (whole units, up to the overlap) into the next one.
    const carried: string[] = [];
    for (let index = current.length - 1; index >= 0 && options.overlapTokens > 0; index -= 1) {
      const candidate = [current[index] ?? '', ...carried];
      if (count(candidate.join('')) > options.overlapTokens) break;
      carried.unshift(current[index] ?? '');
    }
    current = carried;
    fresh = false;
  };
  for (const unit of units) {
    if (fresh && count([...current, unit].join('').trim()) > options.maxTokens) flush();
    // The carried overlap alone may leave no room for the next unit: drop it rather than exceed the limit.
    while (current.length > 0 && count([...current, unit].join('').trim()) > options.maxTokens) current.shift();
    current.push(unit);
    fresh = true;
  }
  if (fresh) flush();
  return chunks;
}
