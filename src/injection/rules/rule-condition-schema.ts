import { z } from 'zod';
import { EMOTIONS } from '../triggers/emotion-lexicon.js';
import { PhraseSet } from '../triggers/phrase-set.js';
import { compileSafeRegex } from '../triggers/regex-safety.js';

/** Bounds of a rule's lists and values. */
export const RULE_LIMITS = { keywords: 100, keywordLength: 100, patterns: 20, topics: 50, children: 16, depth: 4 } as const;

const messageRole = z.enum(['user', 'assistant', 'system']);
/** Which message roles a text condition reads (default: user messages only). */
const roles = z.array(messageRole).min(1).max(3).optional();

const keyword = z
  .string()
  .min(1)
  .max(RULE_LIMITS.keywordLength)
  .refine(PhraseSet.hasWords, 'a keyword needs at least one word (letters or digits)');
const keywords = z.array(keyword).min(1).max(RULE_LIMITS.keywords);

const pattern = z.string().superRefine((source, context) => {
  try {
    compileSafeRegex(source);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

const positiveInt = z.number().int().min(1);
const duration = z
  .number()
  .int()
  .min(1)
  .max(365 * 24 * 3_600_000);
const isoTime = z.iso.datetime({ offset: true });
const valence = z.number().min(-1).max(1);

/** Which state aspects a context-shift or state change can name. */
export const CONTEXT_ASPECTS = ['topic', 'conversation', 'user', 'system', 'relationship', 'emotion'] as const;
export type ContextAspect = (typeof CONTEXT_ASPECTS)[number];

export const EVENT_MODES = ['on-demand', 'reactive', 'predictive', 'corrective'] as const;
export type EventMode = (typeof EVENT_MODES)[number];

const leafConditions = [
  z.strictObject({ type: z.literal('keyword'), keywords, roles }),
  z.strictObject({ type: z.literal('pattern'), patterns: z.array(pattern).min(1).max(RULE_LIMITS.patterns), roles }),
  z
    .strictObject({
      type: z.literal('every'),
      messages: positiveInt.optional(),
      ms: duration.optional(),
      role: messageRole.optional(),
    })
    .refine((every) => every.messages !== undefined || every.ms !== undefined, 'give messages, ms or both'),
  z
    .strictObject({
      type: z.literal('schedule'),
      at: z.array(isoTime).min(1).max(100).optional(),
      everyMs: z.number().int().min(1_000).optional(),
      startAt: isoTime.optional(),
    })
    .refine((schedule) => (schedule.at === undefined) !== (schedule.everyMs === undefined), 'give either at or everyMs'),
  z.strictObject({
    type: z.literal('decay'),
    firstAfter: positiveInt.max(100_000),
    factor: z.number().min(1).max(10),
    max: positiveInt.optional(),
    role: messageRole.optional(),
  }),
  z
    .strictObject({
      type: z.literal('sentiment'),
      below: valence.optional(),
      above: valence.optional(),
      of: z.enum(['message', 'smoothed']).optional(),
    })
    .refine((sentiment) => sentiment.below !== undefined || sentiment.above !== undefined, 'give below, above or both')
    .refine(
      (sentiment) => sentiment.below === undefined || sentiment.above === undefined || sentiment.above < sentiment.below,
      'with both bounds, above must be less than below (the sentiment must lie between them)',
    ),
  z.strictObject({ type: z.literal('emotion'), emotions: z.array(z.enum(EMOTIONS)).min(1) }),
  z.strictObject({
    type: z.literal('emotion-shift'),
    kinds: z
      .array(z.enum(['sentiment', 'emotion']))
      .min(1)
      .optional(),
  }),
  z.strictObject({
    type: z.literal('topic'),
    topics: z
      .array(z.strictObject({ name: z.string().min(1).max(100), keywords }))
      .min(1)
      .max(RULE_LIMITS.topics),
    roles,
  }),
  z.strictObject({ type: z.literal('topic-shift'), threshold: z.number().min(0).max(1).optional() }),
  z.strictObject({ type: z.literal('context-shift'), aspects: z.array(z.enum(CONTEXT_ASPECTS)).min(1).optional() }),
  z
    .strictObject({
      type: z.literal('state'),
      conversation: z.enum(['start', 'middle', 'end']).optional(),
      user: z.enum(['active', 'idle', 'confused']).optional(),
      system: z.enum(['normal', 'high-load', 'error']).optional(),
      relationship: z.enum(['new', 'returning', 'familiar']).optional(),
      mode: z.enum(['enter', 'while']).optional(),
    })
    .refine(
      (state) => [state.conversation, state.user, state.system, state.relationship].some((value) => value !== undefined),
      'name at least one of conversation, user, system, relationship',
    ),
  z.strictObject({ type: z.literal('silence'), ms: duration }),
  z
    .strictObject({
      type: z.literal('event'),
      name: z.string().min(1).max(100),
      mode: z.enum(EVENT_MODES).optional(),
      afterMs: duration.optional(),
      leadMs: duration.optional(),
      afterMessages: positiveInt.optional(),
      leadMessages: z.number().int().min(0).optional(),
      keywords: keywords.optional(),
    })
    .refine(
      (event) =>
        event.mode === 'predictive'
          ? event.afterMs !== undefined || event.afterMessages !== undefined || event.keywords !== undefined
          : [event.afterMs, event.leadMs, event.afterMessages, event.leadMessages, event.keywords].every((v) => v === undefined),
      'a predictive event needs afterMs, afterMessages or keywords; other modes take none of them',
    ),
] as const;

/** A rule's `when`: one trigger condition or a combinator of conditions (discriminated on `type`). */
export type RuleCondition =
  | z.infer<(typeof leafConditions)[number]>
  | { type: 'all'; of: RuleCondition[] }
  | { type: 'any'; of: RuleCondition[] }
  | { type: 'not'; of: RuleCondition };

/** The schema of a rule's `when`. Combinators nest up to {@link RULE_LIMITS.depth} levels. */
export const ruleConditionSchema: z.ZodType<RuleCondition> = z.lazy(() =>
  z.discriminatedUnion('type', [
    ...leafConditions,
    z.strictObject({ type: z.literal('all'), of: z.array(ruleConditionSchema).min(1).max(RULE_LIMITS.children) }),
    z.strictObject({ type: z.literal('any'), of: z.array(ruleConditionSchema).min(1).max(RULE_LIMITS.children) }),
    z.strictObject({ type: z.literal('not'), of: ruleConditionSchema }),
  ]),
);

/** Every leaf condition type. */
export type LeafCondition = z.infer<(typeof leafConditions)[number]>;
