import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StreamInput } from '../../core/injection.js';
import { compileRules } from './compile-rules.js';
import { ConversationTracker } from './conversation-tracker.js';
import { evaluate, tick } from './evaluate-rules.js';

const inject = { assemble: { query: 'q' }, criticality: 'optional' } as const;
const rules = compileRules([
  { id: 'kw', when: { type: 'keyword', keywords: ['stress*', 'thanks that’s all'] }, inject },
  { id: 'pattern', when: { type: 'pattern', patterns: ['\\d{3,}', '^why'] }, inject, cooldownMs: 5 },
  { id: 'every', when: { type: 'every', messages: 3, ms: 50 }, inject },
  { id: 'decay', when: { type: 'decay', firstAfter: 1, factor: 1.5 }, inject },
  { id: 'sentiment', when: { type: 'sentiment', below: -0.2 }, inject },
  {
    id: 'shift',
    when: { type: 'any', of: [{ type: 'topic-shift' }, { type: 'emotion-shift' }, { type: 'context-shift' }] },
    inject,
  },
  { id: 'state', when: { type: 'not', of: { type: 'state', user: 'active', mode: 'while' } }, inject },
  { id: 'silence', when: { type: 'silence', ms: 20 }, inject },
  { id: 'predict', when: { type: 'event', name: 'x', mode: 'predictive', afterMs: 30, keywords: ['cart'] }, inject },
  { id: 'fix', when: { type: 'event', name: 'err*', mode: 'corrective' }, inject },
]);

const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom("I'm so stressed!!", 'why 1234', 'not bad at all', 'bye', 'what do you mean?'),
);
const input: fc.Arbitrary<StreamInput> = fc.oneof(
  fc.record({
    type: fc.constant('message' as const),
    role: fc.constantFrom('user' as const, 'assistant' as const, 'system' as const),
    content: text,
  }),
  fc.record({ type: fc.constant('silence' as const), ms: fc.integer({ min: -5, max: 100 }) }),
  fc.record({ type: fc.constant('event' as const), name: fc.string({ maxLength: 10 }) }),
  fc.constant<StreamInput>({ type: 'turn-start', role: 'user' }),
  fc.constant<StreamInput>({ type: 'turn-end' }),
  fc.constant<StreamInput>({ type: 'sentence-end' }),
  fc.constant<StreamInput>({ type: 'state', system: 'error', user: 'confused' }),
  fc.constant<StreamInput>({ type: 'state', conversation: 'end' }),
);

describe('rule evaluation on arbitrary streams', () => {
  it('never throws, keeps sentiment in [-1, 1], and is deterministic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.option(input, { nil: undefined }), fc.integer({ min: 0, max: 40 })), { maxLength: 40 }),
        (steps) => {
          const run = () => {
            const tracker = new ConversationTracker({ startedAt: 0 });
            let now = 0;
            const fired: string[] = [];
            for (const [step, advance] of steps) {
              now += advance;
              const firings = step === undefined ? tick(rules, tracker, now) : evaluate(rules, tracker, step, now);
              for (const firing of firings) fired.push(`${now}:${firing.rule.id}:${firing.reason}`);
              expect(tracker.emotion.score).toBeGreaterThanOrEqual(-1);
              expect(tracker.emotion.score).toBeLessThanOrEqual(1);
              expect(tracker.emotion.smoothed).toBeGreaterThanOrEqual(-1);
              expect(tracker.emotion.smoothed).toBeLessThanOrEqual(1);
            }
            return fired;
          };
          expect(run()).toEqual(run());
        },
      ),
      { numRuns: 200 },
    );
  });
});
