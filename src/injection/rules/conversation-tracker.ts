import type { StreamInput } from '../../core/injection.js';
import { EmotionDetector, type EmotionShift } from '../triggers/emotion-detector.js';
import type { Emotion } from '../triggers/emotion-lexicon.js';
import { PauseDetector } from '../triggers/pause-detector.js';
import { emotionBit, emotionsOfMask } from '../triggers/sentiment.js';
import { STOPWORDS } from '../triggers/stopwords.js';
import { hashToken, tokenize } from '../triggers/tokenize.js';
import { TopicDetector } from '../triggers/topic-detector.js';
import { type ObservedInput, STEP_KIND } from './observed-input.js';
import { RuleFireState } from './rule-fire-state.js';
import {
  ASPECT,
  type ConversationPhase,
  createTrackerConfig,
  type RelationshipState,
  relationshipOf,
  type SystemState,
  type TrackerConfig,
  type UserState,
} from './tracker-config.js';

const DEFAULT_CONFIG = createTrackerConfig();
const EMPTY: readonly string[] = [];
const CONFUSION = emotionBit('confusion');

/** A tracker's derived state as plain data. */
export interface ConversationSnapshot {
  messages: number;
  userMessages: number;
  assistantMessages: number;
  elapsedMs: number;
  silenceMs: number;
  phase: ConversationPhase;
  user: UserState;
  system: SystemState;
  relationship: RelationshipState;
  /** The latest user message's sentiment and the running one, in [-1, 1]. */
  sentiment: number;
  runningSentiment: number;
  /** Emotions of the latest user message. */
  emotions: Emotion[];
  topicSimilarity: number | undefined;
  /** Whether the latest step shifted the topic. */
  topicShift: boolean;
  lastEvent: string | undefined;
}

/** How a tracker starts: its clock, the user's prior sessions (→ relationship), shared options. */
export interface ConversationTrackerInit {
  startedAt: number;
  priorSessions?: number | undefined;
  config?: TrackerConfig | undefined;
}

/**
 * What rules read about one stream, derived from its inputs and `now` (see docs/injection-rules.md): message
 * counts, phase, user / system / relationship state, sentiment, topic shifts, the latest event, and the rules'
 * "last fired" state. Bounded: counters, small detectors and fixed windows, never the history (a few KB).
 */
export class ConversationTracker {
  readonly config: TrackerConfig;
  readonly startedAt: number;
  readonly pause: PauseDetector;
  readonly topic: TopicDetector;
  readonly emotion: EmotionDetector;
  readonly rules = new RuleFireState();
  messages = 0;
  userMessages = 0;
  assistantMessages = 0;
  now: number;
  phase: ConversationPhase = 'start';
  user: UserState = 'active';
  system: SystemState = 'normal';
  relationship: RelationshipState;
  /** The system load the caller last set (0–1). */
  systemLoad = 0;
  /** The latest event name. */
  lastEvent: string | undefined;
  /** Steps observed (inputs and ticks). */
  steps = 0;
  /** ASPECT bits that changed in the latest step. */
  changed = 0;
  /** The value each aspect had before its latest change (for reasons). */
  readonly previous: { conversation?: string; user?: string; system?: string; relationship?: string } = {};
  /** Set on the step where the topic detector saw a shift. */
  topicShift = false;
  /** Set on the step where the topic detector measured a new window similarity. */
  topicMeasured = false;
  emotionShift: EmotionShift | undefined;
  /** The gap before the latest message (ms), 0 for other steps. */
  gapMs = 0;
  private phaseExplicit = false;
  private userExplicit = false;
  private explicitSystem: SystemState = 'normal';
  private questions = [0, 0, 0];

  constructor(init: ConversationTrackerInit) {
    this.config = init.config ?? DEFAULT_CONFIG;
    this.startedAt = init.startedAt;
    this.now = init.startedAt;
    this.relationship = relationshipOf(init.priorSessions ?? 0, this.config.familiarAfter);
    this.pause = new PauseDetector(init.startedAt, { pauseMs: this.config.pauseMs, longTurnMs: this.config.longTurnMs });
    this.topic = new TopicDetector({
      windowSize: this.config.topicWindow,
      threshold: this.config.topicThreshold,
      embed: this.config.embed,
    });
    this.emotion = new EmotionDetector({ smoothing: this.config.sentimentSmoothing });
  }

  /** Sets the system load (0–1); at or above the configured threshold the system state is `high-load`. */
  setSystemLoad(load: number): void {
    this.systemLoad = load;
  }

  /** Feeds one input at `now`; returns the step as rules read it (message text tokenized once). */
  observe(input: StreamInput, now: number): ObservedInput {
    this.beginStep(now);
    let observed: ObservedInput = { input, kind: STEP_KIND[input.type], now, role: undefined, text: '', tokens: EMPTY };
    if (input.type === 'message') {
      this.gapMs = this.pause.silenceMs(now);
      const max = this.config.maxInputChars;
      const text = input.content.length > max ? input.content.slice(0, max) : input.content;
      observed = { ...observed, role: input.role, text, tokens: tokenize(text, max) };
    }
    this.pause.observe(input, now);
    if (input.type === 'message') this.readMessage(observed);
    else if (input.type === 'event') this.lastEvent = input.name;
    else if (input.type === 'state') this.readState(input);
    else if (input.type === 'turn-start' && input.role === 'user' && !this.userExplicit) this.setUser('active');
    this.derive(now);
    return observed;
  }

  /** Advances the clock without an input (the caller's timer): idle users, pauses, phase by elapsed time. */
  advance(now: number): ObservedInput {
    this.beginStep(now);
    this.pause.poll(now);
    this.derive(now);
    return { input: undefined, kind: STEP_KIND.tick, now, role: undefined, text: '', tokens: EMPTY };
  }

  /** Milliseconds since the stream started, by the latest clock reading. */
  get elapsedMs(): number {
    return this.now - this.startedAt;
  }

  /** The derived state as plain data (for stats, debugging and dry runs). */
  snapshot(): ConversationSnapshot {
    return {
      messages: this.messages,
      userMessages: this.userMessages,
      assistantMessages: this.assistantMessages,
      elapsedMs: this.elapsedMs,
      silenceMs: this.pause.silenceMs(this.now),
      phase: this.phase,
      user: this.user,
      system: this.system,
      relationship: this.relationship,
      sentiment: this.emotion.score,
      runningSentiment: this.emotion.smoothed,
      emotions: emotionsOfMask(this.emotion.emotionMask),
      topicSimilarity: this.topic.similarity,
      topicShift: this.topicShift,
      lastEvent: this.lastEvent,
    };
  }

  /** Messages of a role (or all) so far. */
  messageCount(role?: 'user' | 'assistant' | 'system' | undefined): number {
    if (role === 'user') return this.userMessages;
    if (role === 'assistant') return this.assistantMessages;
    if (role === 'system') return this.messages - this.userMessages - this.assistantMessages;
    return this.messages;
  }

  private beginStep(now: number): void {
    this.now = Math.max(this.now, now);
    this.changed = this.steps === 0 ? ASPECT.conversation | ASPECT.user | ASPECT.system | ASPECT.relationship : 0;
    this.steps++;
    this.topicShift = false;
    this.topicMeasured = false;
    this.emotionShift = undefined;
    this.gapMs = 0;
  }

  private readMessage(observed: ObservedInput): void {
    const { role, tokens, text } = observed;
    this.messages++;
    if (role === 'user') this.userMessages++;
    else if (role === 'assistant') this.assistantMessages++;
    if (role !== 'system') {
      const topicReading = this.topic.observe(text, tokens);
      this.topicMeasured = topicReading.measured;
      if (topicReading.shift) {
        this.topicShift = true;
        this.changed |= ASPECT.topic;
      }
    }
    if (role !== 'user') return;
    const reading = this.emotion.observe(text, tokens);
    if (reading.shift !== undefined) {
      this.emotionShift = reading.shift;
      this.changed |= ASPECT.emotion;
    }
    const confused = (reading.emotionMask & CONFUSION) !== 0 || this.config.confusionCues.find(tokens) !== undefined;
    const repeated = text.includes('?') && this.isRepeatedQuestion(tokens);
    this.userExplicit = false;
    this.setUser(confused || repeated ? 'confused' : 'active');
    if (!this.phaseExplicit) {
      if (this.config.closingPhrases.find(tokens) !== undefined) this.setPhase('end');
      else if (this.phase === 'end') this.setPhase('middle');
    }
  }

  private readState(input: Extract<StreamInput, { type: 'state' }>): void {
    if (input.conversation !== undefined) {
      this.phaseExplicit = true;
      this.setPhase(input.conversation);
    }
    if (input.user !== undefined) {
      this.userExplicit = true;
      this.setUser(input.user);
    }
    if (input.system !== undefined) this.explicitSystem = input.system;
    if (input.relationship !== undefined) this.setAspect('relationship', input.relationship);
  }

  private derive(now: number): void {
    const config = this.config;
    if (!this.phaseExplicit && this.phase === 'start') {
      if (this.messages > config.startMessages || now - this.startedAt >= config.startMs) this.setPhase('middle');
    }
    if (!this.userExplicit && this.user !== 'idle' && this.pause.silenceMs(now) >= config.idleMs) this.setUser('idle');
    const loaded = this.explicitSystem === 'high-load' || this.systemLoad >= config.highLoad;
    this.setAspect('system', this.explicitSystem === 'error' ? 'error' : loaded ? 'high-load' : 'normal');
  }

  private isRepeatedQuestion(tokens: readonly string[]): boolean {
    const content = [...new Set(tokens.filter((token) => !STOPWORDS.has(token)))].sort();
    if (content.length === 0) return false;
    const hash = hashToken(content.join(' ')) || 1;
    const repeated = this.questions.includes(hash);
    this.questions = [hash, this.questions[0] as number, this.questions[1] as number];
    return repeated;
  }

  private setPhase(phase: ConversationPhase): void {
    this.setAspect('conversation', phase);
  }

  private setUser(user: UserState): void {
    this.setAspect('user', user);
  }

  private setAspect(aspect: 'conversation' | 'user' | 'system' | 'relationship', value: string): void {
    const field = aspect === 'conversation' ? 'phase' : aspect;
    if (this[field] === value) return;
    this.previous[aspect] = this[field];
    (this as Record<typeof field, string>)[field] = value;
    this.changed |= ASPECT[aspect];
  }
}
