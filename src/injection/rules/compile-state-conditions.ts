import type { CompiledCondition } from './compiled-condition.js';
import type { ConversationTracker } from './conversation-tracker.js';
import { ALL_STEP_KINDS } from './observed-input.js';
import { CONTEXT_ASPECTS, type ContextAspect, type LeafCondition } from './rule-condition-schema.js';
import { ASPECT } from './tracker-config.js';

type Of<T extends LeafCondition['type']> = Extract<LeafCondition, { type: T }>;
type StateAspect = 'conversation' | 'user' | 'system' | 'relationship';
const STATE_ASPECTS: readonly StateAspect[] = ['conversation', 'user', 'system', 'relationship'];

/** The current value of a state aspect. */
export function stateOf(tracker: ConversationTracker, aspect: StateAspect): string {
  return aspect === 'conversation' ? tracker.phase : tracker[aspect];
}

/**
 * `state`: the named states all hold. Mode `enter` (default) holds on the step where they became true (one of the
 * named aspects changed, or the stream's first step); `while` holds on every step they are true.
 */
export function compileState(when: Of<'state'>): CompiledCondition {
  const wanted = STATE_ASPECTS.filter((aspect) => when[aspect] !== undefined).map((aspect) => ({
    aspect,
    value: when[aspect] as string,
  }));
  const mask = wanted.reduce((bits, { aspect }) => bits | ASPECT[aspect], 0);
  const enter = when.mode !== 'while';
  const text = wanted.map(({ aspect, value }) => `${aspect}=${value}`).join(', ');
  return {
    kinds: ALL_STEP_KINDS,
    describe: `state ${text}`,
    test: ({ tracker }) => {
      for (const { aspect, value } of wanted) if (stateOf(tracker, aspect) !== value) return undefined;
      if (enter && (tracker.changed & mask) === 0) return undefined;
      return `state ${text}${enter ? ' (entered)' : ''}`;
    },
  };
}

/** `context-shift`: the topic shifted or a state (phase, user, system, relationship) or the emotion changed. */
export function compileContextShift(when: Of<'context-shift'>): CompiledCondition {
  const aspects: readonly ContextAspect[] = when.aspects ?? CONTEXT_ASPECTS;
  const mask = aspects.reduce((bits, aspect) => bits | ASPECT[aspect], 0);
  return {
    kinds: ALL_STEP_KINDS,
    describe: `context shift ${aspects.length === CONTEXT_ASPECTS.length ? '' : `of ${aspects.join(', ')}`}`.trim(),
    test: ({ tracker }) => {
      if (tracker.steps <= 1 || (tracker.changed & mask) === 0) return undefined;
      const parts = aspects
        .filter((aspect) => (tracker.changed & ASPECT[aspect]) !== 0)
        .map((aspect) => describeChange(tracker, aspect));
      return `context shift: ${parts.join(', ')}`;
    },
  };
}

function describeChange(tracker: ConversationTracker, aspect: ContextAspect): string {
  if (aspect === 'topic') return 'topic';
  if (aspect === 'emotion') {
    const shift = tracker.emotionShift;
    return shift === undefined ? 'emotion' : `emotion ${shift.from} → ${shift.to}`;
  }
  return `${aspect} ${tracker.previous[aspect] ?? '?'} → ${stateOf(tracker, aspect)}`;
}
