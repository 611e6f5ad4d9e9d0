import { EMOTION_CUE_SETS, EMOTIONS, type Emotion } from './emotion-lexicon.js';
import { INTENSIFIERS, NEGATORS, SENTIMENT_LEXICON } from './sentiment-lexicon.js';

/** How far back (in tokens) a negator reaches. */
const NEGATION_SCOPE = 3;
/** A negated word keeps this share of its valence, with the sign flipped ("not happy" is less than "unhappy"). */
const NEGATION_FACTOR = -0.6;
/** Each `!` (up to three) strengthens the whole message by this share. */
const EXCLAMATION_BOOST = 0.15;

/**
 * The sentiment of one message's tokens in [-1, 1]: lexicon valences, flipped by a negator in the three tokens
 * before, scaled by an intensifier right before (`very`, `really`, `so`), strengthened by `!`, and squashed with
 * x / √(x² + 1) so that many words approach ±1 without reaching past it.
 */
export function scoreSentiment(tokens: readonly string[], exclamations = 0): number {
  let sum = 0;
  for (let index = 0; index < tokens.length; index++) {
    const valence = SENTIMENT_LEXICON.get(tokens[index] as string);
    if (valence === undefined) continue;
    let value = valence;
    const before = tokens[index - 1];
    const intensity = before === undefined ? undefined : INTENSIFIERS.get(before);
    if (intensity !== undefined) value *= intensity;
    for (let back = 1; back <= NEGATION_SCOPE && index - back >= 0; back++) {
      if (NEGATORS.has(tokens[index - back] as string)) {
        value *= NEGATION_FACTOR;
        break;
      }
    }
    sum += value;
  }
  if (sum !== 0 && exclamations > 0) sum *= 1 + EXCLAMATION_BOOST * Math.min(3, exclamations);
  const score = sum / Math.sqrt(sum * sum + 1);
  return Math.max(-1, Math.min(1, score));
}

/** The number of `!` in a text (read up to `maxChars`). */
export function countExclamations(text: string, maxChars = 4_000): number {
  let count = 0;
  const end = Math.min(text.length, maxChars);
  for (let index = text.indexOf('!'); index !== -1 && index < end; index = text.indexOf('!', index + 1)) count++;
  return count;
}

/** The emotions whose cues appear in the tokens, as a bit mask over {@link EMOTIONS} (bit i = EMOTIONS[i]). */
export function detectEmotionMask(tokens: readonly string[]): number {
  let mask = 0;
  for (let index = 0; index < EMOTION_CUE_SETS.length; index++) {
    if ((EMOTION_CUE_SETS[index] as (typeof EMOTION_CUE_SETS)[number]).find(tokens) !== undefined) mask |= 1 << index;
  }
  return mask;
}

/** The emotions of a bit mask, in {@link EMOTIONS} order. */
export function emotionsOfMask(mask: number): Emotion[] {
  return EMOTIONS.filter((_, index) => (mask & (1 << index)) !== 0);
}

/** The bit of one emotion in a mask. */
export function emotionBit(emotion: Emotion): number {
  return 1 << EMOTIONS.indexOf(emotion);
}
