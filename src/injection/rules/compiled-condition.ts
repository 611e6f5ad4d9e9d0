import type { ConversationTracker } from './conversation-tracker.js';
import type { KeywordIndex } from './keyword-index.js';
import type { ObservedInput } from './observed-input.js';

/** What a condition reads when it is tested: the stream, the step, the rule it belongs to, keyword hits. */
export interface EvalContext {
  tracker: ConversationTracker;
  step: ObservedInput;
  /** The index of the rule being evaluated (its per-stream fire state lives in `tracker.rules`). */
  rule: number;
  /** The first phrase found per keyword slot in this step's tokens (see KeywordIndex). */
  hits: (string | undefined)[];
}

/** A rule's `when`, compiled: what steps it can hold on, a description, and the test itself. */
export interface CompiledCondition {
  /** STEP_KIND bits of the steps on which it can hold (the rule set indexes rules by them). */
  kinds: number;
  /** A short description (used in reasons, e.g. `not (keyword [refund])`). */
  describe: string;
  /** An explicit request: the rule fires even within its cooldown (on-demand events). */
  ignoresCooldown?: boolean;
  /** The human-readable reason it holds on this step; undefined when it does not. */
  test(context: EvalContext): string | undefined;
}

/** What compiling a condition may register in the rule set: keyword lists go into one shared index. */
export interface CompileContext {
  keywords: KeywordIndex;
}

/** Whether a step is a message of one of these roles. */
export function isMessageOf(step: ObservedInput, roles: readonly string[]): boolean {
  return step.role !== undefined && roles.includes(step.role);
}

/** `["a", "b"]` → `[a, b]`, cut after a few items. */
export function listText(items: readonly string[]): string {
  const shown = items.slice(0, 4).join(', ');
  return `[${shown}${items.length > 4 ? ', …' : ''}]`;
}

/** Rounds a score for a reason. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
