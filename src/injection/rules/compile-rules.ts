import type { SyncPoint } from '../../core/injection.js';
import { compileCondition } from './compile-condition.js';
import type { CompiledCondition } from './compiled-condition.js';
import type { InjectionRule, InjectionRules, RuleInject } from './injection-rules-schema.js';
import { KeywordIndex } from './keyword-index.js';
import { STEP_KIND_COUNT } from './observed-input.js';
import { parseInjectionRules } from './parse-injection-rules.js';

/** One rule, compiled. */
export interface CompiledRule {
  /** Its position in the rule set (its fire state's index in each tracker). */
  index: number;
  id: string;
  condition: CompiledCondition;
  inject: RuleInject;
  at: SyncPoint;
  priority: number;
  cooldownMs: number;
  /** The rule as validated. */
  source: InjectionRule;
}

/** A rule set ready to evaluate: rules indexed by the step kinds they can fire on, keywords in one index. */
export interface CompiledRuleSet {
  readonly rules: readonly CompiledRule[];
  /** Rule ids in order (trackers bind their fire state to this array). */
  readonly ids: readonly string[];
  /** Per STEP_KIND bit position, the rules that can fire on it, highest priority first. */
  readonly byKind: readonly (readonly CompiledRule[])[];
  readonly keywords: KeywordIndex;
  /** Scratch for keyword hits (evaluation is synchronous, so one buffer per set is enough). */
  readonly hits: (string | undefined)[];
}

/**
 * Compiles a rule set (validated again, so raw JSON from the store is fine): regexes compiled once, every keyword
 * in one index, each rule filed under the step kinds that can make it fire.
 */
export function compileRules(input: InjectionRules | readonly InjectionRule[] | unknown): CompiledRuleSet {
  const { rules } = parseInjectionRules(Array.isArray(input) ? { rules: input } : input);
  const keywords = new KeywordIndex();
  const compiled = rules.map(
    (rule, index): CompiledRule => ({
      index,
      id: rule.id,
      condition: compileCondition(rule.when, { keywords }),
      inject: rule.inject,
      at: rule.at ?? 'turn-end',
      priority: rule.priority ?? 50,
      cooldownMs: rule.cooldownMs ?? 0,
      source: rule,
    }),
  );
  const ordered = [...compiled].sort((a, b) => b.priority - a.priority || a.index - b.index);
  const byKind = Array.from({ length: STEP_KIND_COUNT }, (_, bit) =>
    ordered.filter((rule) => (rule.condition.kinds & (1 << bit)) !== 0),
  );
  return Object.freeze({
    rules: compiled,
    ids: compiled.map((rule) => rule.id),
    byKind,
    keywords,
    hits: new Array<string | undefined>(keywords.slots).fill(undefined),
  });
}
