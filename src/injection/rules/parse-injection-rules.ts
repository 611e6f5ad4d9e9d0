import type { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { type InjectionRules, injectionRulesSchema } from './injection-rules-schema.js';

/** One validation problem: where (`rules[3].when.patterns[0]`), which rule, and what is wrong. */
export interface RuleIssue {
  path: string;
  ruleIndex: number | undefined;
  ruleId: string | undefined;
  message: string;
}

export type SafeParseRulesResult = { success: true; data: InjectionRules } | { success: false; error: ValidationError };

/** Validates a rule set; ValidationError `invalid_injection_rules` naming the rule index, id and field. */
export function parseInjectionRules(input: unknown): InjectionRules {
  const result = safeParseInjectionRules(input);
  if (!result.success) throw result.error;
  return result.data;
}

/** Like {@link parseInjectionRules}, as a result instead of a throw. */
export function safeParseInjectionRules(input: unknown): SafeParseRulesResult {
  const result = injectionRulesSchema.safeParse(input);
  if (result.success) return { success: true, data: result.data };
  const issues = result.error.issues.map((issue) => toRuleIssue(issue, input));
  const first = issues[0] as RuleIssue;
  const where =
    first.ruleIndex === undefined
      ? first.path
      : `rule ${first.ruleIndex}${first.ruleId ? ` ("${first.ruleId}")` : ''}, ${first.path}`;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  const error = new ValidationError(`Invalid injection rules: ${where}: ${first.message}${more}`, {
    code: 'invalid_injection_rules',
    details: { ruleIndex: first.ruleIndex, ruleId: first.ruleId, field: first.path, issues },
  });
  return { success: false, error };
}

function toRuleIssue(issue: z.core.$ZodIssue, input: unknown): RuleIssue {
  const path = issue.path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`),
    '',
  );
  const ruleIndex = issue.path[0] === 'rules' && typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
  return { path: path === '' ? '(root)' : path, ruleIndex, ruleId: ruleIdAt(input, ruleIndex), message: issue.message };
}

function ruleIdAt(input: unknown, index: number | undefined): string | undefined {
  if (index === undefined || typeof input !== 'object' || input === null) return undefined;
  const rules = (input as { rules?: unknown }).rules;
  if (!Array.isArray(rules)) return undefined;
  const id = (rules[index] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id.slice(0, 64) : undefined;
}
