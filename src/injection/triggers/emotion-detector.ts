import type { Emotion } from './emotion-lexicon.js';
import { countExclamations, detectEmotionMask, emotionsOfMask, scoreSentiment } from './sentiment.js';
import { tokenize } from './tokenize.js';

/** Coarse sentiment: below −threshold negative, above +threshold positive. */
export type SentimentBand = 'negative' | 'neutral' | 'positive';

export interface EmotionDetectorOptions {
  /** Weight of the newest message in the running sentiment (exponential smoothing, 0 < α ≤ 1; default 0.5). */
  smoothing?: number | undefined;
  /** |sentiment| beyond which the band is negative or positive (default 0.25). */
  bandThreshold?: number | undefined;
}

/** A change of the running sentiment's band, or of the dominant emotion between two messages that show one. */
export interface EmotionShift {
  kind: 'sentiment' | 'emotion';
  from: string;
  to: string;
}

/** What the detector read in one message. */
export interface EmotionReading {
  /** This message's sentiment in [-1, 1]. */
  score: number;
  /** The running (smoothed) sentiment in [-1, 1]. */
  smoothed: number;
  band: SentimentBand;
  /** Bit mask over EMOTIONS. */
  emotionMask: number;
  emotions: Emotion[];
  /** The first of `emotions` in EMOTIONS order (stress before joy). */
  dominant: Emotion | undefined;
  shift: EmotionShift | undefined;
}

/**
 * The emotion trigger: scores each message with the built-in lexicon, keeps a smoothed running sentiment, labels
 * emotions (stress, anger, sadness, confusion, joy) and reports shifts (never on the first message, which has no
 * baseline). A few numbers of state per stream.
 */
export class EmotionDetector {
  private readonly alpha: number;
  private readonly bandThreshold: number;
  private messages = 0;
  /** The latest message's sentiment. */
  score = 0;
  /** The running sentiment. */
  smoothed = 0;
  band: SentimentBand = 'neutral';
  emotionMask = 0;
  private lastDominant: Emotion | undefined;

  constructor(options: EmotionDetectorOptions = {}) {
    this.alpha = Math.min(1, Math.max(0.01, options.smoothing ?? 0.5));
    this.bandThreshold = options.bandThreshold ?? 0.25;
  }

  /** Reads one message; pass `tokens` when the caller already tokenized it. */
  observe(text: string, tokens: readonly string[] = tokenize(text)): EmotionReading {
    const score = scoreSentiment(tokens, countExclamations(text));
    this.smoothed = this.messages === 0 ? score : this.smoothed + this.alpha * (score - this.smoothed);
    this.score = score;
    this.messages++;
    const band = this.bandOf(this.smoothed);
    const mask = detectEmotionMask(tokens);
    const emotions = emotionsOfMask(mask);
    const dominant = emotions[0];
    let shift: EmotionShift | undefined;
    if (this.messages > 1 && band !== this.band) shift = { kind: 'sentiment', from: this.band, to: band };
    else if (dominant !== undefined && this.lastDominant !== undefined && dominant !== this.lastDominant) {
      shift = { kind: 'emotion', from: this.lastDominant, to: dominant };
    }
    this.band = band;
    this.emotionMask = mask;
    if (dominant !== undefined) this.lastDominant = dominant;
    return { score, smoothed: this.smoothed, band, emotionMask: mask, emotions, dominant, shift };
  }

  private bandOf(value: number): SentimentBand {
    if (value <= -this.bandThreshold) return 'negative';
    if (value >= this.bandThreshold) return 'positive';
    return 'neutral';
  }
}
