import { PhraseSet } from '../triggers/phrase-set.js';
import { DEFAULT_MAX_INPUT_CHARS } from '../triggers/tokenize.js';
import type { EmbedFunction } from '../triggers/topic-detector.js';
import { DEFAULT_CLOSING_PHRASES, DEFAULT_CONFUSION_CUES } from './conversation-cues.js';

export type ConversationPhase = 'start' | 'middle' | 'end';
export type UserState = 'active' | 'idle' | 'confused';
export type SystemState = 'normal' | 'high-load' | 'error';
export type RelationshipState = 'new' | 'returning' | 'familiar';

/** Bits of the aspects that changed in one step (`ConversationTracker.changed`). */
export const ASPECT = { topic: 1, conversation: 2, user: 4, system: 8, relationship: 16, emotion: 32 } as const;

/** How a conversation tracker derives its states; every field has a default. */
export interface ConversationTrackerOptions {
  /** The first this-many messages are the `start` phase (default 4)… */
  startMessages?: number | undefined;
  /** …or the first this-many milliseconds, whichever ends first (default 120,000). */
  startMs?: number | undefined;
  /** A silence this long makes the user `idle` (default 30,000 ms). */
  idleMs?: number | undefined;
  /** A silence this long is a pause for the pause trigger (default 1,500 ms). */
  pauseMs?: number | undefined;
  /** A turn open this long is a long turn (default 30,000 ms). */
  longTurnMs?: number | undefined;
  /** A system load (0–1, set by the caller) at or above this is `high-load` (default 0.8). */
  highLoad?: number | undefined;
  /** This many prior sessions make a relationship `familiar`; 1 or more is `returning` (default 5). */
  familiarAfter?: number | undefined;
  /** Messages per topic window (default 3) and the tracker's topic-shift threshold (default 0.2). */
  topicWindow?: number | undefined;
  topicThreshold?: number | undefined;
  /** Compare message embeddings instead of term frequencies for topic shifts. */
  embed?: EmbedFunction | undefined;
  /** Weight of the newest user message in the running sentiment (default 0.5). */
  sentimentSmoothing?: number | undefined;
  /** Phrases that end the conversation (default: "bye", "thanks, that's all", …). */
  closingPhrases?: readonly string[] | undefined;
  /** Phrases that show confusion (default: "I don't understand", "what do you mean", …). */
  confusionCues?: readonly string[] | undefined;
  /** Characters of a message the detectors read (default 4,000). */
  maxInputChars?: number | undefined;
}

/** Options completed with defaults, cue phrases compiled: one frozen object shared by every tracker. */
export interface TrackerConfig {
  readonly startMessages: number;
  readonly startMs: number;
  readonly idleMs: number;
  readonly pauseMs: number;
  readonly longTurnMs: number;
  readonly highLoad: number;
  readonly familiarAfter: number;
  readonly topicWindow: number;
  readonly topicThreshold: number;
  readonly embed: EmbedFunction | undefined;
  readonly sentimentSmoothing: number;
  readonly closingPhrases: PhraseSet;
  readonly confusionCues: PhraseSet;
  readonly maxInputChars: number;
}

/** Completes and freezes tracker options; build it once and share it between streams. */
export function createTrackerConfig(options: ConversationTrackerOptions = {}): TrackerConfig {
  return Object.freeze({
    startMessages: options.startMessages ?? 4,
    startMs: options.startMs ?? 120_000,
    idleMs: options.idleMs ?? 30_000,
    pauseMs: options.pauseMs ?? 1_500,
    longTurnMs: options.longTurnMs ?? 30_000,
    highLoad: options.highLoad ?? 0.8,
    familiarAfter: options.familiarAfter ?? 5,
    topicWindow: options.topicWindow ?? 3,
    topicThreshold: options.topicThreshold ?? 0.2,
    embed: options.embed,
    sentimentSmoothing: options.sentimentSmoothing ?? 0.5,
    closingPhrases: new PhraseSet(options.closingPhrases ?? DEFAULT_CLOSING_PHRASES),
    confusionCues: new PhraseSet(options.confusionCues ?? DEFAULT_CONFUSION_CUES),
    maxInputChars: options.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS,
  });
}

/** The relationship a count of prior sessions means. */
export function relationshipOf(priorSessions: number, familiarAfter: number): RelationshipState {
  if (priorSessions <= 0) return 'new';
  return priorSessions >= familiarAfter ? 'familiar' : 'returning';
}
