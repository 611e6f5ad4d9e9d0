import type { CompileContext, CompiledCondition, EvalContext } from './compiled-condition.js';
import { ALL_STEP_KINDS, STEP_KIND } from './observed-input.js';
import type { LeafCondition } from './rule-condition-schema.js';
import { ASPECT } from './tracker-config.js';

type EventCondition = Extract<LeafCondition, { type: 'event' }>;
const EVENT = STEP_KIND.event;

/**
 * `event`, by mode:
 * - `reactive` (default): an event input named `name` (a trailing `*` matches a prefix: `order.*`).
 * - `on-demand`: an explicit request — an event input named exactly `name`; it fires even within the cooldown.
 * - `corrective`: things went wrong — an event named `name` (e.g. `error`), the system state entering `error`, or
 *   the user state entering `confused`.
 * - `predictive`: before an anticipated need named `name` — `leadMs` before `afterMs` of elapsed stream time,
 *   `leadMessages` before the `afterMessages`-th message (once each), or a user message with one of `keywords`
 *   that predict the need.
 */
export function compileEvent(when: EventCondition, compile: CompileContext): CompiledCondition {
  switch (when.mode ?? 'reactive') {
    case 'reactive':
      return {
        kinds: EVENT,
        describe: `event "${when.name}"`,
        test: (c) => (eventMatches(c, when.name) ? `event "${eventName(c)}" (reactive)` : undefined),
      };
    case 'on-demand':
      return {
        kinds: EVENT,
        describe: `on-demand "${when.name}"`,
        ignoresCooldown: true,
        test: (c) => (eventName(c) === when.name ? `on-demand request "${when.name}"` : undefined),
      };
    case 'corrective':
      return { kinds: ALL_STEP_KINDS, describe: `corrective "${when.name}"`, test: (c) => correctiveReason(c, when.name) };
    case 'predictive':
      return compilePredictive(when, compile);
  }
}

function compilePredictive(when: EventCondition, compile: CompileContext): CompiledCondition {
  const slot = when.keywords === undefined ? undefined : compile.keywords.add(when.keywords);
  const fireAtMs = when.afterMs === undefined ? undefined : Math.max(0, when.afterMs - (when.leadMs ?? 0));
  const fireAtMessage = when.afterMessages === undefined ? undefined : Math.max(1, when.afterMessages - (when.leadMessages ?? 0));
  return {
    kinds: (fireAtMs === undefined ? 0 : ALL_STEP_KINDS) | STEP_KIND.message,
    describe: `predictive "${when.name}"`,
    test: ({ tracker, step, rule, hits }) => {
      const prefix = `predictive "${when.name}"`;
      if (step.kind === STEP_KIND.message) {
        const keyword = slot === undefined || step.role !== 'user' ? undefined : hits[slot];
        if (keyword !== undefined) return `${prefix}: keyword "${keyword}" anticipates it`;
        if (fireAtMessage !== undefined && tracker.messages === fireAtMessage) {
          return `${prefix}: message ${tracker.messages}, ${when.leadMessages ?? 0} before the anticipated ${when.afterMessages}`;
        }
      }
      if (fireAtMs !== undefined) {
        const dueAt = tracker.startedAt + fireAtMs;
        const last = tracker.rules.lastFiredAt(rule);
        if (step.now >= dueAt && (last === undefined || last < dueAt)) {
          return `${prefix}: ${step.now - tracker.startedAt} ms elapsed, ${when.leadMs ?? 0} ms before the anticipated ${when.afterMs} ms`;
        }
      }
      return undefined;
    },
  };
}

function correctiveReason(context: EvalContext, name: string): string | undefined {
  const { tracker } = context;
  if (eventMatches(context, name)) return `corrective: event "${eventName(context)}"`;
  if ((tracker.changed & ASPECT.system) !== 0 && tracker.system === 'error') return 'corrective: system error';
  if ((tracker.changed & ASPECT.user) !== 0 && tracker.user === 'confused') return 'corrective: user confused';
  return undefined;
}

function eventName({ step }: EvalContext): string | undefined {
  return step.input?.type === 'event' ? step.input.name : undefined;
}

function eventMatches(context: EvalContext, pattern: string): boolean {
  const name = eventName(context);
  if (name === undefined) return false;
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}
