import { STOPWORDS } from './stopwords.js';
import { hashToken, tokenize } from './tokenize.js';

/** A synchronous embedding function (the embedding variant of topic-shift detection); vectors of one length. */
export type EmbedFunction = (text: string) => Float32Array;

export interface TopicDetectorOptions {
  /** Messages per window; the last window is compared with the one before it (default 3). */
  windowSize?: number | undefined;
  /** A similarity below this is a topic shift (default 0.2). */
  threshold?: number | undefined;
  /** Compare embeddings instead of term frequencies. */
  embed?: EmbedFunction | undefined;
  /** Content words kept per message in the lexical variant (default 48). */
  maxTermsPerMessage?: number | undefined;
}

/** What the detector read in one message. */
export interface TopicReading {
  /** Cosine similarity of the last window with the previous one; undefined until both windows are full. */
  similarity: number | undefined;
  /** True on the message where the similarity first fell below the threshold. */
  shift: boolean;
  /** Whether this message produced a new similarity (false while windows fill and for messages without content). */
  measured: boolean;
}

const lastCounts = new Map<number, number>();
const previousCounts = new Map<number, number>();

/**
 * The topic trigger: compares the last `windowSize` messages with the `windowSize` before them — lexically, by
 * the cosine of their term-frequency vectors (stopwords removed, terms stored as 32-bit hashes in one ring
 * buffer, so the state is a few hundred bytes), or by the cosine of their summed embeddings when `embed` is
 * given. A shift is reported once, when the similarity crosses below the threshold. Messages without content
 * words are skipped.
 */
export class TopicDetector {
  readonly windowSize: number;
  readonly threshold: number;
  private readonly embed: EmbedFunction | undefined;
  private readonly termsPerMessage: number;
  private readonly terms: Uint32Array;
  private readonly lengths: Uint8Array;
  private readonly vectors: (Float32Array | undefined)[];
  private observed = 0;
  /** The latest similarity (undefined until both windows are full). */
  similarity: number | undefined;
  /** The similarity before the latest one. */
  previousSimilarity: number | undefined;

  constructor(options: TopicDetectorOptions = {}) {
    this.windowSize = Math.max(1, Math.min(16, options.windowSize ?? 3));
    this.threshold = options.threshold ?? 0.2;
    this.embed = options.embed;
    this.termsPerMessage = Math.max(1, Math.min(255, options.maxTermsPerMessage ?? 48));
    const slots = 2 * this.windowSize;
    this.terms = new Uint32Array(this.embed === undefined ? slots * this.termsPerMessage : 0);
    this.lengths = new Uint8Array(slots);
    this.vectors = this.embed === undefined ? [] : new Array(slots).fill(undefined);
  }

  /** Reads one message; pass `tokens` when the caller already tokenized it. */
  observe(text: string, tokens: readonly string[] = tokenize(text)): TopicReading {
    if (!this.store(text, tokens)) return { similarity: this.similarity, shift: false, measured: false };
    const before = this.similarity;
    const slots = 2 * this.windowSize;
    if (this.observed < slots) return { similarity: undefined, shift: false, measured: false };
    const similarity = this.embed === undefined ? this.lexicalSimilarity() : this.embeddingSimilarity();
    this.previousSimilarity = before;
    this.similarity = similarity;
    const shift = similarity < this.threshold && (before === undefined || before >= this.threshold);
    return { similarity, shift, measured: true };
  }

  private store(text: string, tokens: readonly string[]): boolean {
    const slot = this.observed % (2 * this.windowSize);
    if (this.embed !== undefined) {
      if (text.trim() === '') return false;
      this.vectors[slot] = this.embed(text);
    } else {
      let length = 0;
      const offset = slot * this.termsPerMessage;
      for (const token of tokens) {
        if (STOPWORDS.has(token) || token.length < 2) continue;
        this.terms[offset + length++] = hashToken(token);
        if (length >= this.termsPerMessage) break;
      }
      if (length === 0) return false;
      this.lengths[slot] = length;
    }
    this.observed++;
    return true;
  }

  /** The ring slots of the last window (newest first) and of the one before it. */
  private slotOf(back: number): number {
    const slots = 2 * this.windowSize;
    return (((this.observed - 1 - back) % slots) + slots) % slots;
  }

  private lexicalSimilarity(): number {
    lastCounts.clear();
    previousCounts.clear();
    for (let back = 0; back < 2 * this.windowSize; back++) {
      const slot = this.slotOf(back);
      const counts = back < this.windowSize ? lastCounts : previousCounts;
      const offset = slot * this.termsPerMessage;
      const length = this.lengths[slot] as number;
      for (let index = offset; index < offset + length; index++) {
        const term = this.terms[index] as number;
        counts.set(term, (counts.get(term) ?? 0) + 1);
      }
    }
    let dot = 0;
    let lastNorm = 0;
    let previousNorm = 0;
    for (const [term, count] of lastCounts) {
      lastNorm += count * count;
      dot += count * (previousCounts.get(term) ?? 0);
    }
    for (const count of previousCounts.values()) previousNorm += count * count;
    return lastNorm === 0 || previousNorm === 0 ? 0 : dot / Math.sqrt(lastNorm * previousNorm);
  }

  private embeddingSimilarity(): number {
    const first = this.vectors[this.slotOf(0)] as Float32Array;
    const last = new Float64Array(first.length);
    const previous = new Float64Array(first.length);
    for (let back = 0; back < 2 * this.windowSize; back++) {
      const vector = this.vectors[this.slotOf(back)] as Float32Array;
      const sum = back < this.windowSize ? last : previous;
      for (let index = 0; index < sum.length; index++) sum[index] = (sum[index] as number) + (vector[index] ?? 0);
    }
    return cosine(last, previous);
  }
}

function cosine(left: Float64Array, right: Float64Array): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index++) {
    const a = left[index] as number;
    const b = right[index] as number;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
  }
  return leftNorm === 0 || rightNorm === 0 ? 0 : dot / Math.sqrt(leftNorm * rightNorm);
}
