import { describe, expect, it } from 'vitest';
import { compileRules } from './compile-rules.js';
import { ConversationTracker } from './conversation-tracker.js';
import { evaluate, tick } from './evaluate-rules.js';
import { STEP_KIND } from './observed-input.js';
import { replayConversation, type ScriptStep } from './replay-conversation.js';

const inject = { packet: { attention: { focus: 'support' } }, criticality: 'helpful' } as const;
const user = (at: number, content: string): ScriptStep => ({ at, input: { type: 'message', role: 'user', content } });
const tickAt = (at: number): ScriptStep => ({ at, tick: true });

function reasons(when: unknown, script: ScriptStep[], extra: Record<string, unknown> = {}): (string | undefined)[] {
  const rules = compileRules([{ id: 'r', when, inject, ...extra }]);
  return replayConversation(rules, script, { startedAt: 0 }).steps.map((step) => step.fired[0]?.reason);
}

describe('combinators', () => {
  it('all: every child on the same step, reasons joined', () => {
    const when = {
      type: 'all',
      of: [
        { type: 'keyword', keywords: ['startup'] },
        { type: 'emotion', emotions: ['stress'] },
      ],
    };
    expect(
      reasons(when, [
        user(1, 'My startup is doing fine'),
        user(2, "I'm feeling really stressed about my startup"),
        user(3, 'So stressed'),
      ]),
    ).toEqual([undefined, 'keyword "startup" in user message and emotion stress in user message', undefined]);
  });

  it('all with a state held (mode while) and not', () => {
    const when = {
      type: 'all',
      of: [
        { type: 'keyword', keywords: ['help'] },
        { type: 'not', of: { type: 'state', relationship: 'new', mode: 'while' } },
      ],
    };
    const returning = compileRules([{ id: 'r', when, inject }]);
    expect(replayConversation(returning, [user(1, 'help')], { startedAt: 0, priorSessions: 2 }).steps[0]?.fired[0]?.reason).toBe(
      'keyword "help" in user message and not (state relationship=new)',
    );
    expect(replayConversation(returning, [user(1, 'help')], { startedAt: 0, priorSessions: 0 }).steps[0]?.fired).toEqual([]);
  });

  it('any: the first child that holds', () => {
    const when = {
      type: 'any',
      of: [
        { type: 'keyword', keywords: ['refund'] },
        { type: 'silence', ms: 10_000 },
      ],
    };
    const script = [user(1, 'refund please'), user(2, 'hello'), tickAt(10_001), tickAt(10_002), tickAt(20_000)];
    expect(reasons(when, script)).toEqual([
      'keyword "refund" in user message',
      undefined,
      undefined,
      'silence 10000 ms ≥ 10000 ms',
      undefined,
    ]);
  });
});

describe('cooldown and ordering', () => {
  it('a rule stays quiet for cooldownMs after it fired', () => {
    const script = [user(0, 'refund'), user(1_000, 'refund'), user(59_999, 'refund'), user(60_000, 'refund')];
    expect(reasons({ type: 'keyword', keywords: ['refund'] }, script, { cooldownMs: 60_000 }).map(Boolean)).toEqual([
      true,
      false,
      false,
      true,
    ]);
  });

  it('returns firings highest priority first, then in rule order', () => {
    const rules = compileRules([
      { id: 'low', when: { type: 'keyword', keywords: ['x'] }, inject, priority: 10 },
      { id: 'default', when: { type: 'keyword', keywords: ['x'] }, inject },
      { id: 'high', when: { type: 'keyword', keywords: ['x'] }, inject, priority: 90, at: 'immediate' },
      { id: 'default-2', when: { type: 'keyword', keywords: ['x'] }, inject },
    ]);
    const firings = evaluate(
      rules,
      new ConversationTracker({ startedAt: 0 }),
      { type: 'message', role: 'user', content: 'x' },
      1,
    );
    expect(firings.map((firing) => firing.rule.id)).toEqual(['high', 'default', 'default-2', 'low']);
    expect(firings[0]?.rule.at).toBe('immediate');
  });

  it('indexes rules by the step kinds that can make them fire', () => {
    const rules = compileRules([
      { id: 'kw', when: { type: 'keyword', keywords: ['x'] }, inject },
      { id: 'ev', when: { type: 'event', name: 'e' }, inject },
      { id: 'state', when: { type: 'state', user: 'idle' }, inject },
      {
        id: 'both',
        when: {
          type: 'all',
          of: [
            { type: 'keyword', keywords: ['x'] },
            { type: 'state', user: 'active', mode: 'while' },
          ],
        },
        inject,
      },
    ]);
    const ids = (kind: number) => (rules.byKind[31 - Math.clz32(kind)] ?? []).map((rule) => rule.id);
    expect(ids(STEP_KIND.message)).toEqual(['kw', 'state', 'both']);
    expect(ids(STEP_KIND.event)).toEqual(['ev', 'state']);
    expect(ids(STEP_KIND.tick)).toEqual(['state']);
  });

  it('keeps the fire state of shared rule ids when the rule set changes mid-stream', () => {
    const tracker = new ConversationTracker({ startedAt: 0 });
    const first = compileRules([{ id: 'every', when: { type: 'every', messages: 3 }, inject }]);
    const message = { type: 'message', role: 'user', content: 'hi' } as const;
    evaluate(first, tracker, message, 1);
    evaluate(first, tracker, message, 2);
    expect(evaluate(first, tracker, message, 3).map((firing) => firing.reason)).toEqual(['every 3 messages (3 since start)']);
    const second = compileRules([
      { id: 'new', when: { type: 'every', ms: 10 }, inject },
      { id: 'every', when: { type: 'every', messages: 3 }, inject },
    ]);
    expect(evaluate(second, tracker, message, 4).map((firing) => firing.rule.id)).toEqual([]);
    expect(tick(second, tracker, 11).map((firing) => firing.rule.id)).toEqual(['new']);
  });
});
