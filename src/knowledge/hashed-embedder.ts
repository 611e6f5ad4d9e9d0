import { type Embedder, normalizeVector } from './embedder.js';
import { textTerms } from './text-terms.js';

export interface HashedEmbedderOptions {
  /** Vector length (default 384). */
  dimensions?: number | undefined;
}

const WORD_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;
const TRIGRAM_WEIGHT = 0.25;

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/** Adds a feature: its hash picks the dimension, one more bit of it the sign (so collisions tend to cancel). */
function add(vector: Float32Array, feature: string, weight: number): void {
  const value = hash(feature);
  const index = value % vector.length;
  vector[index] = (vector[index] ?? 0) + ((value & 0x80000000) === 0 ? weight : -weight);
}

/**
 * The built-in offline embedder: no model, no download. A text becomes the signed hashing-trick sum of its lexical
 * terms (stemmed words without stop words), word bigrams and the character trigrams of each word (which catch shared stems and typos), L2-normalised.
 * Deterministic across processes and machines. It knows no synonyms: for meaning, configure an embeddings API.
 */
export function createHashedEmbedder(options: HashedEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 384;
  function embedOne(text: string): Float32Array {
    const vector = new Float32Array(dimensions);
    const stems = textTerms(text);
    stems.forEach((stem, index) => {
      add(vector, `w:${stem}`, WORD_WEIGHT);
      const next = stems[index + 1];
      if (next !== undefined) add(vector, `b:${stem} ${next}`, BIGRAM_WEIGHT);
      const padded = `<${stem}>`;
      for (let start = 0; start + 3 <= padded.length; start += 1)
        add(vector, `c:${padded.slice(start, start + 3)}`, TRIGRAM_WEIGHT);
    });
    return normalizeVector(vector);
  }
  return Object.freeze({
    id: `hashed-ngrams-v1:${dimensions}`,
    dimensions,
    embed: async (texts: readonly string[]) => texts.map(embedOne),
  });
}
