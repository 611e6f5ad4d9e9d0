import { compileSafeRegex } from '../triggers/regex-safety.js';
import { emotionBit } from '../triggers/sentiment.js';
import { type CompileContext, type CompiledCondition, isMessageOf, listText, round2 } from './compiled-condition.js';
import { STEP_KIND } from './observed-input.js';
import type { LeafCondition } from './rule-condition-schema.js';

type Of<T extends LeafCondition['type']> = Extract<LeafCondition, { type: T }>;
const MESSAGE = STEP_KIND.message;
const USER_ONLY = ['user'] as const;

/** `keyword`: one of the keywords (whole words, phrases, `prefix*`) in a message of the given roles. */
export function compileKeyword(when: Of<'keyword'>, compile: CompileContext): CompiledCondition {
  const roles = when.roles ?? USER_ONLY;
  const slot = compile.keywords.add(when.keywords);
  return {
    kinds: MESSAGE,
    describe: `keyword ${listText(when.keywords)}`,
    test: ({ step, hits }) => {
      const found = isMessageOf(step, roles) ? hits[slot] : undefined;
      return found === undefined ? undefined : `keyword "${found}" in ${step.role} message`;
    },
  };
}

/** `pattern`: one of the regular expressions (case-insensitive, precompiled) matches a message. */
export function compilePattern(when: Of<'pattern'>): CompiledCondition {
  const roles = when.roles ?? USER_ONLY;
  const regexes = when.patterns.map(compileSafeRegex);
  return {
    kinds: MESSAGE,
    describe: `pattern ${listText(when.patterns.map((source) => `/${source}/`))}`,
    test: ({ step }) => {
      if (!isMessageOf(step, roles)) return undefined;
      const regex = regexes.find((candidate) => candidate.test(step.text));
      return regex === undefined ? undefined : `pattern /${regex.source}/i in ${step.role} message`;
    },
  };
}

/** `topic`: a message mentions one of the named topics (by its keywords). */
export function compileTopic(when: Of<'topic'>, compile: CompileContext): CompiledCondition {
  const roles = when.roles ?? USER_ONLY;
  const topics = when.topics.map((topic) => ({ name: topic.name, slot: compile.keywords.add(topic.keywords) }));
  return {
    kinds: MESSAGE,
    describe: `topic ${listText(when.topics.map((topic) => topic.name))}`,
    test: ({ step, hits }) => {
      if (!isMessageOf(step, roles)) return undefined;
      for (const topic of topics) {
        const keyword = hits[topic.slot];
        if (keyword !== undefined) return `topic "${topic.name}" (keyword "${keyword}") in ${step.role} message`;
      }
      return undefined;
    },
  };
}

/** `sentiment`: a user message's sentiment (or the running one) is below and/or above the bounds. */
export function compileSentiment(when: Of<'sentiment'>): CompiledCondition {
  const smoothed = when.of === 'smoothed';
  const bounds = [when.below === undefined ? '' : `below ${when.below}`, when.above === undefined ? '' : `above ${when.above}`]
    .filter(Boolean)
    .join(' and ');
  return {
    kinds: MESSAGE,
    describe: `sentiment ${bounds}`,
    test: ({ step, tracker }) => {
      if (step.role !== 'user') return undefined;
      const value = smoothed ? tracker.emotion.smoothed : tracker.emotion.score;
      if (when.below !== undefined && !(value < when.below)) return undefined;
      if (when.above !== undefined && !(value > when.above)) return undefined;
      return `${smoothed ? 'running sentiment' : 'sentiment'} ${round2(value)} ${bounds} (user message)`;
    },
  };
}

/** `emotion`: a user message shows one of the emotions. */
export function compileEmotion(when: Of<'emotion'>): CompiledCondition {
  const mask = when.emotions.reduce((bits, emotion) => bits | emotionBit(emotion), 0);
  return {
    kinds: MESSAGE,
    describe: `emotion ${listText(when.emotions)}`,
    test: ({ step, tracker }) => {
      if (step.role !== 'user' || (tracker.emotion.emotionMask & mask) === 0) return undefined;
      const shown = when.emotions.filter((emotion) => (tracker.emotion.emotionMask & emotionBit(emotion)) !== 0);
      return `emotion ${shown.join(', ')} in user message`;
    },
  };
}

/** `emotion-shift`: the running sentiment changed band, or the dominant emotion changed, on a user message. */
export function compileEmotionShift(when: Of<'emotion-shift'>): CompiledCondition {
  const kinds: readonly string[] = when.kinds ?? ['sentiment', 'emotion'];
  return {
    kinds: MESSAGE,
    describe: 'emotion shift',
    test: ({ tracker }) => {
      const shift = tracker.emotionShift;
      if (shift === undefined || !kinds.includes(shift.kind)) return undefined;
      return `${shift.kind === 'sentiment' ? 'sentiment' : 'emotion'} shift ${shift.from} → ${shift.to}`;
    },
  };
}

/** `topic-shift`: the last message window drifted from the one before (crossing below the threshold). */
export function compileTopicShift(when: Of<'topic-shift'>): CompiledCondition {
  return {
    kinds: MESSAGE,
    describe: 'topic shift',
    test: ({ step, tracker }) => {
      if (!tracker.topicMeasured || step.role === undefined || step.role === 'system') return undefined;
      const { similarity, previousSimilarity, threshold } = tracker.topic;
      const limit = when.threshold ?? threshold;
      if (when.threshold === undefined ? !tracker.topicShift : !crossedBelow(similarity, previousSimilarity, limit)) {
        return undefined;
      }
      return `topic shift (window similarity ${round2(similarity ?? 0)} < ${limit})`;
    },
  };
}

function crossedBelow(similarity: number | undefined, previous: number | undefined, limit: number): boolean {
  return similarity !== undefined && similarity < limit && (previous === undefined || previous >= limit);
}
