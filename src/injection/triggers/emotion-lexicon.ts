import { PhraseSet } from './phrase-set.js';

/** The emotion labels the emotion detector reports. */
export const EMOTIONS = ['stress', 'anger', 'sadness', 'confusion', 'joy'] as const;
export type Emotion = (typeof EMOTIONS)[number];

/** Cue words and phrases per emotion (whole words; a trailing `*` is a prefix). */
export const EMOTION_CUES: Readonly<Record<Emotion, readonly string[]>> = {
  stress: split(
    "stress*|anxious|anxiety|overwhelm*|worried|worry|worrying|nervous|panic*|pressure|burnout|burned out|burnt out|exhausted|tense|dread|freaking out|on edge|deadline|deadlines|scared|afraid|can't cope|too much",
  ),
  anger: split(
    'angry|anger|furious|mad|annoyed|annoying|irritated|pissed|outraged|livid|hate|ridiculous|unacceptable|fed up|sick of|frustrat*',
  ),
  sadness: split(
    'sad|sadness|unhappy|depressed|lonely|heartbroken|miserable|crying|cry|cried|grief|grieving|devastated|hopeless|disappointed|lost my|miss him|miss her',
  ),
  joy: split(
    'happy|glad|joy|joyful|excited|thrilled|delighted|love|loving|great|awesome|amazing|wonderful|fantastic|yay|celebrate|proud|grateful',
  ),
  confusion: split(
    "confused|confusing|unclear|puzzled|lost|don't understand|do not understand|didn't understand|doesn't make sense|makes no sense|what do you mean|i don't get it|don't follow|not sure what|no idea",
  ),
};

/** One compiled cue set per emotion, in {@link EMOTIONS} order. */
export const EMOTION_CUE_SETS: readonly PhraseSet[] = EMOTIONS.map((emotion) => new PhraseSet(EMOTION_CUES[emotion]));

function split(list: string): readonly string[] {
  return list.split('|');
}
