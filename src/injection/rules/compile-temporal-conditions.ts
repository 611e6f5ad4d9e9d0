import type { CompiledCondition, EvalContext } from './compiled-condition.js';
import { ALL_STEP_KINDS, STEP_KIND } from './observed-input.js';
import type { LeafCondition } from './rule-condition-schema.js';

type Of<T extends LeafCondition['type']> = Extract<LeafCondition, { type: T }>;
const MESSAGE = STEP_KIND.message;

/** `every`: periodic — every N messages (of a role) and/or every T ms since the rule last fired (or the start). */
export function compileEvery(when: Of<'every'>): CompiledCondition {
  const roleText = when.role === undefined ? '' : `${when.role} `;
  return {
    kinds: (when.messages === undefined ? 0 : MESSAGE) | (when.ms === undefined ? 0 : ALL_STEP_KINDS),
    describe: [when.messages && `every ${when.messages} ${roleText}messages`, when.ms && `every ${when.ms} ms`]
      .filter(Boolean)
      .join(' or '),
    test: (context) => {
      const { tracker, step, rule } = context;
      const since = sinceText(context);
      if (when.messages !== undefined && step.kind === MESSAGE && (when.role === undefined || step.role === when.role)) {
        const count = tracker.rules.messagesSince(rule, tracker, when.role);
        if (count >= when.messages) return `every ${when.messages} ${roleText}messages (${count} ${since})`;
      }
      if (when.ms !== undefined) {
        const elapsed = step.now - (tracker.rules.lastFiredAt(rule) ?? tracker.startedAt);
        if (elapsed >= when.ms) return `every ${when.ms} ms (${elapsed} ms ${since})`;
      }
      return undefined;
    },
  };
}

/** `schedule`: at given instants, or every `everyMs` from `startAt` (default: aligned to the epoch); once per due time. */
export function compileSchedule(when: Of<'schedule'>): CompiledCondition {
  const instants = (when.at ?? []).map((time) => Date.parse(time)).sort((a, b) => a - b);
  const startAt = when.startAt === undefined ? 0 : Date.parse(when.startAt);
  return {
    kinds: ALL_STEP_KINDS,
    describe: when.everyMs === undefined ? `schedule at ${instants.length} times` : `schedule every ${when.everyMs} ms`,
    test: ({ tracker, step, rule }) => {
      let due: number | undefined;
      if (when.everyMs === undefined) {
        for (const instant of instants) if (instant <= step.now) due = instant;
      } else if (step.now >= startAt) {
        due = startAt + Math.floor((step.now - startAt) / when.everyMs) * when.everyMs;
      }
      if (due === undefined || due < tracker.startedAt) return undefined;
      const last = tracker.rules.lastFiredAt(rule);
      if (last !== undefined && last >= due) return undefined;
      return `scheduled at ${new Date(due).toISOString()}`;
    },
  };
}

/** `decay`: decaying frequency — fires after `firstAfter` messages, then after gaps ×`factor` each time, `max` times. */
export function compileDecay(when: Of<'decay'>): CompiledCondition {
  return {
    kinds: MESSAGE,
    describe: `decaying from every ${when.firstAfter} messages ×${when.factor}`,
    test: (context) => {
      const { tracker, step, rule } = context;
      if (step.kind !== MESSAGE || (when.role !== undefined && step.role !== when.role)) return undefined;
      const fires = tracker.rules.fires(rule);
      if (when.max !== undefined && fires >= when.max) return undefined;
      const gap = Math.max(1, Math.round(when.firstAfter * when.factor ** fires));
      const count = tracker.rules.messagesSince(rule, tracker, when.role);
      if (count < gap) return undefined;
      const of = when.max === undefined ? '' : ` of ${when.max}`;
      return `decaying frequency: ${count} messages ${sinceText(context)} (gap ${gap}, firing ${fires + 1}${of})`;
    },
  };
}

/** `silence`: a silence of at least `ms` — said by a silence input, seen by a tick, or as the gap before a message. */
export function compileSilence(when: Of<'silence'>): CompiledCondition {
  return {
    kinds: STEP_KIND.silence | STEP_KIND.tick | MESSAGE,
    describe: `silence ${when.ms} ms`,
    test: ({ tracker, step, rule }) => {
      const pause = tracker.pause;
      let silence: number;
      let began: number;
      if (step.kind === MESSAGE) {
        silence = tracker.gapMs;
        began = step.now - silence;
      } else if (step.kind === STEP_KIND.silence || step.kind === STEP_KIND.tick) {
        silence = pause.silenceMs(step.now);
        began = pause.silenceStartedAt;
      } else return undefined;
      if (silence < when.ms) return undefined;
      const last = tracker.rules.lastFiredAt(rule);
      if (last !== undefined && last >= began) return undefined;
      return `silence ${silence} ms ≥ ${when.ms} ms${step.kind === MESSAGE ? ' before this message' : ''}`;
    },
  };
}

function sinceText({ tracker, rule }: EvalContext): string {
  return tracker.rules.lastFiredAt(rule) === undefined ? 'since start' : 'since last';
}
