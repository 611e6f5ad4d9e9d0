import type { StreamInput } from '../../core/injection.js';
import type { CompiledRule, CompiledRuleSet } from './compile-rules.js';
import type { EvalContext } from './compiled-condition.js';
import type { ConversationTracker } from './conversation-tracker.js';
import type { ObservedInput } from './observed-input.js';

/** A rule that fired, and why (e.g. `keyword "stressed" in user message`). */
export interface RuleFiring {
  rule: CompiledRule;
  reason: string;
}

/**
 * Feeds one stream input to the tracker and returns the rules that fire on it, highest priority first. Only rules
 * that can fire on the input's kind are tested; a rule within its cooldown is skipped (on-demand requests
 * excepted); a rule that fires is recorded in the tracker. Synchronous and deterministic.
 */
export function evaluate(rules: CompiledRuleSet, tracker: ConversationTracker, input: StreamInput, now: number): RuleFiring[] {
  return evaluateStep(rules, tracker, tracker.observe(input, now));
}

/**
 * The time path: advances the tracker to `now` (idle users, pauses, phase by elapsed time) and returns the rules
 * that fire on time alone (every T ms, schedules, silences, predictive deadlines, state changes). The caller calls
 * it from its timer.
 */
export function tick(rules: CompiledRuleSet, tracker: ConversationTracker, now: number): RuleFiring[] {
  return evaluateStep(rules, tracker, tracker.advance(now));
}

function evaluateStep(rules: CompiledRuleSet, tracker: ConversationTracker, step: ObservedInput): RuleFiring[] {
  tracker.rules.bind(rules.ids);
  const candidates = rules.byKind[31 - Math.clz32(step.kind)] ?? [];
  const firings: RuleFiring[] = [];
  if (candidates.length === 0) return firings;
  if (step.tokens.length > 0 && rules.hits.length > 0) rules.keywords.scan(step.tokens, rules.hits);
  else rules.hits.fill(undefined);
  const context: EvalContext = { tracker, step, rule: 0, hits: rules.hits };
  for (const rule of candidates) {
    if (rule.cooldownMs > 0 && !rule.condition.ignoresCooldown) {
      const last = tracker.rules.lastFiredAt(rule.index);
      if (last !== undefined && step.now - last < rule.cooldownMs) continue;
    }
    context.rule = rule.index;
    const reason = rule.condition.test(context);
    if (reason === undefined) continue;
    tracker.rules.record(rule.index, step.now, tracker);
    firings.push({ rule, reason });
  }
  return firings;
}
