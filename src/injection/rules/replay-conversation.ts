import type { StreamInput } from '../../core/injection.js';
import type { CompiledRuleSet } from './compile-rules.js';
import { ConversationTracker, type ConversationTrackerInit } from './conversation-tracker.js';
import { evaluate, tick } from './evaluate-rules.js';

/** One step of a scripted conversation: an input at a time, or a timer tick at a time (epoch ms). */
export type ScriptStep = { at: number; input: StreamInput } | { at: number; tick: true };

/** What fired at one step. */
export interface ReplayedStep {
  at: number;
  input: StreamInput | undefined;
  fired: { id: string; reason: string }[];
}

/**
 * Replays a scripted conversation through a rule set on a fresh tracker (a dry run: which rules would fire when,
 * and why). Used by the tests, and usable to try a rule set against a sample conversation before putting it.
 */
export function replayConversation(
  rules: CompiledRuleSet,
  script: readonly ScriptStep[],
  init: Partial<ConversationTrackerInit> = {},
): { tracker: ConversationTracker; steps: ReplayedStep[] } {
  const tracker = new ConversationTracker({ ...init, startedAt: init.startedAt ?? script[0]?.at ?? 0 });
  const steps = script.map((step): ReplayedStep => {
    const input = 'input' in step ? step.input : undefined;
    const firings = input === undefined ? tick(rules, tracker, step.at) : evaluate(rules, tracker, input, step.at);
    return { at: step.at, input, fired: firings.map((firing) => ({ id: firing.rule.id, reason: firing.reason })) };
  });
  return { tracker, steps };
}
