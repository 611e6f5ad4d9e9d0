import { z } from 'zod';
import { CRITICALITIES, SYNC_POINTS } from '../../core/injection.js';
import { jsonValueSchema } from '../../validation/schemas.js';
import { RULE_LIMITS, type RuleCondition, ruleConditionSchema } from './rule-condition-schema.js';

/** The most rules one set holds. */
export const MAX_RULES = 200;
/** What a rule id looks like. */
export const RULE_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

const packetPart = z.record(z.string(), jsonValueSchema);

/** What a rule injects: a fixed packet or an assembly, with the packet's criticality and timing. */
export const ruleInjectSchema = z
  .strictObject({
    packet: z
      .strictObject({ information: packetPart.optional(), strategy: packetPart.optional(), attention: packetPart.optional() })
      .optional(),
    assemble: z.strictObject({ query: z.string().max(2_000).optional(), budget: z.number().int().min(1).optional() }).optional(),
    criticality: z.enum(CRITICALITIES),
    ttlMs: z.number().int().min(1).optional(),
    deadlineMs: z.number().int().min(1).optional(),
  })
  .refine((inject) => (inject.packet === undefined) !== (inject.assemble === undefined), {
    message: 'give exactly one of packet and assemble',
  });

/** One injection rule: when it fires, what it injects, at which synchronization point. */
export const injectionRuleSchema = z.strictObject({
  id: z.string().regex(RULE_ID_PATTERN, 'an id is 1–64 characters of A–Z, a–z, 0–9, _ . -'),
  when: ruleConditionSchema,
  inject: ruleInjectSchema,
  /** Where the injection waits to be delivered (default `turn-end`). */
  at: z.enum(SYNC_POINTS).optional(),
  /** 0–100, higher first (default 50). */
  priority: z.number().int().min(0).max(100).optional(),
  /** After firing, the rule stays quiet for this long in the same stream. */
  cooldownMs: z.number().int().min(0).optional(),
});

/** A tenant's rule set: `PUT /v1/tenants/:tenant/injection-rules` takes this body. */
export const injectionRulesSchema = z
  .strictObject({ rules: z.array(injectionRuleSchema).max(MAX_RULES) })
  .superRefine((set, context) => {
    const seen = new Map<string, number>();
    set.rules.forEach((rule, index) => {
      const first = seen.get(rule.id);
      if (first !== undefined) {
        context.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate id (also rule ${first})` });
      } else seen.set(rule.id, index);
      if (depthOf(rule.when) > RULE_LIMITS.depth) {
        context.addIssue({
          code: 'custom',
          path: ['rules', index, 'when'],
          message: `combinators nest deeper than ${RULE_LIMITS.depth}`,
        });
      }
    });
  });

export type RuleInject = z.infer<typeof ruleInjectSchema>;
export type InjectionRule = z.infer<typeof injectionRuleSchema>;
export type InjectionRules = z.infer<typeof injectionRulesSchema>;

function depthOf(condition: RuleCondition): number {
  if (condition.type === 'not') return 1 + depthOf(condition.of);
  if (condition.type === 'all' || condition.type === 'any') return 1 + Math.max(...condition.of.map(depthOf));
  return 0;
}
