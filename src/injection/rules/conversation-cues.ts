import { EMOTION_CUES } from '../triggers/emotion-lexicon.js';

/** Phrases that close a conversation ("bye", "thanks, that's all"): the phase becomes `end`. */
export const DEFAULT_CLOSING_PHRASES: readonly string[] = [
  'bye',
  'goodbye',
  'good bye',
  'bye bye',
  'see you',
  'see ya',
  'cya',
  'talk later',
  'talk to you later',
  "that's all",
  'that is all',
  "that's it for now",
  'that will be all',
  'have a good day',
  'have a nice day',
  'good night',
  'gotta go',
  'i have to go',
  'i need to go',
  'farewell',
  'take care',
];

/** Phrases that show a confused user (besides repeating a question). */
export const DEFAULT_CONFUSION_CUES: readonly string[] = [
  ...EMOTION_CUES.confusion,
  'huh',
  "i'm lost",
  'i am lost',
  "i don't get",
  'explain again',
  'say that again',
  'come again',
  'what does that mean',
];
