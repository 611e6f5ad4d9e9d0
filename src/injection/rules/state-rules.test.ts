import { describe, expect, it } from 'vitest';
import type { StreamInput } from '../../core/injection.js';
import { compileRules } from './compile-rules.js';
import { ConversationTracker } from './conversation-tracker.js';
import { evaluate, tick } from './evaluate-rules.js';
import { replayConversation, type ScriptStep } from './replay-conversation.js';

const inject = { assemble: {}, criticality: 'helpful' } as const;
const user = (at: number, content = 'tell me about the plan'): ScriptStep => ({
  at,
  input: { type: 'message', role: 'user', content },
});
const assistant = (at: number, content = 'here it is'): ScriptStep => ({
  at,
  input: { type: 'message', role: 'assistant', content },
});
const state = (at: number, input: Omit<Extract<StreamInput, { type: 'state' }>, 'type'>): ScriptStep => ({
  at,
  input: { type: 'state', ...input },
});
const tickAt = (at: number): ScriptStep => ({ at, tick: true });

function reasons(when: unknown, script: ScriptStep[], priorSessions = 0): (string | undefined)[] {
  const rules = compileRules([{ id: 'r', when, inject }]);
  return replayConversation(rules, script, { startedAt: 0, priorSessions }).steps.map((step) => step.fired[0]?.reason);
}
const firedAt = (fired: (string | undefined)[]) => fired.flatMap((reason, index) => (reason === undefined ? [] : [index]));

describe('state rules: conversation phase', () => {
  const script = [
    user(1),
    assistant(2),
    user(3),
    assistant(4),
    user(5),
    assistant(6),
    user(7, "thanks, that's all"),
    assistant(8, 'bye!'),
  ];

  it('start fires on the first step, middle after the first four messages, end on a closing phrase', () => {
    expect(reasons({ type: 'state', conversation: 'start' }, script)).toEqual([
      'state conversation=start (entered)',
      ...Array(7).fill(undefined),
    ]);
    expect(firedAt(reasons({ type: 'state', conversation: 'middle' }, script))).toEqual([4]);
    expect(firedAt(reasons({ type: 'state', conversation: 'end' }, script))).toEqual([6]);
  });

  it('the start ends by time too, and the conversation resumes after a closing phrase the user takes back', () => {
    expect(firedAt(reasons({ type: 'state', conversation: 'middle' }, [user(1), tickAt(119_999), tickAt(120_000)]))).toEqual([2]);
    const resumed = [user(1), user(2), user(3), user(4), user(5), user(6, 'ok bye'), user(7, 'wait, one more question')];
    expect(firedAt(reasons({ type: 'state', conversation: 'middle' }, resumed))).toEqual([4, 6]);
  });

  it('an explicit end signal ends the conversation and holds', () => {
    const explicit = [user(1), state(2, { conversation: 'end' }), user(3, 'and another thing')];
    expect(firedAt(reasons({ type: 'state', conversation: 'end' }, explicit))).toEqual([1]);
    expect(firedAt(reasons({ type: 'state', conversation: 'end', mode: 'while' }, explicit))).toEqual([1, 2]);
  });
});

describe('state rules: user', () => {
  it('idle after the silence threshold (by tick), active again on the next user message', () => {
    const script = [user(0), tickAt(29_999), tickAt(30_000), tickAt(40_000), assistant(41_000), user(42_000)];
    expect(firedAt(reasons({ type: 'state', user: 'idle' }, script))).toEqual([2]);
    expect(firedAt(reasons({ type: 'state', user: 'active' }, script))).toEqual([0, 5]);
  });

  it('confused on confusion cues and on a repeated question, active when the user follows again', () => {
    const cues = [
      user(1, 'How do I export?'),
      user(2, "Sorry, I don't understand"),
      user(3, 'Got it, thanks'),
      user(4, 'What do you mean by workspace?'),
    ];
    expect(firedAt(reasons({ type: 'state', user: 'confused' }, cues))).toEqual([1, 3]);
    const repeated = [user(1, 'How do I export the report?'), assistant(2), user(3, 'how do I export the report?')];
    expect(firedAt(reasons({ type: 'state', user: 'confused' }, repeated))).toEqual([2]);
    expect(
      firedAt(reasons({ type: 'state', user: 'confused' }, [user(1, 'How do I export?'), user(2, 'How do I import?')])),
    ).toEqual([]);
  });

  it('an explicit user state holds until the next user message', () => {
    const script = [user(1), state(2, { user: 'confused' }), assistant(3), user(4)];
    expect(firedAt(reasons({ type: 'state', user: 'confused', mode: 'while' }, script))).toEqual([1, 2]);
  });
});

describe('state rules: system', () => {
  it('error and high-load from explicit state inputs, normal again after', () => {
    const script = [user(1), state(2, { system: 'high-load' }), state(3, { system: 'error' }), state(4, { system: 'normal' })];
    expect(firedAt(reasons({ type: 'state', system: 'high-load' }, script))).toEqual([1]);
    expect(firedAt(reasons({ type: 'state', system: 'error' }, script))).toEqual([2]);
    expect(firedAt(reasons({ type: 'state', system: 'normal' }, script))).toEqual([0, 3]);
  });

  it('high-load from the system load the caller sets', () => {
    const rules = compileRules([{ id: 'load', when: { type: 'state', system: 'high-load' }, inject }]);
    const tracker = new ConversationTracker({ startedAt: 0 });
    expect(tick(rules, tracker, 1)).toEqual([]);
    tracker.setSystemLoad(0.95);
    expect(tick(rules, tracker, 2).map((firing) => firing.reason)).toEqual(['state system=high-load (entered)']);
    expect(evaluate(rules, tracker, { type: 'message', role: 'user', content: 'hi' }, 3)).toEqual([]);
    tracker.setSystemLoad(0.2);
    tick(rules, tracker, 4);
    expect(tracker.system).toBe('normal');
  });
});

describe('state rules: relationship', () => {
  it('new, returning and familiar from the prior session count, on the first step only', () => {
    const script = [user(1), user(2)];
    expect(reasons({ type: 'state', relationship: 'new' }, script, 0)).toEqual(['state relationship=new (entered)', undefined]);
    expect(firedAt(reasons({ type: 'state', relationship: 'new' }, script, 2))).toEqual([]);
    expect(firedAt(reasons({ type: 'state', relationship: 'returning' }, script, 2))).toEqual([0]);
    expect(firedAt(reasons({ type: 'state', relationship: 'familiar' }, script, 7))).toEqual([0]);
    expect(
      firedAt(reasons({ type: 'state', relationship: 'familiar' }, [user(1), state(2, { relationship: 'familiar' })], 1)),
    ).toEqual([1]);
  });

  it('several named states must all hold', () => {
    const when = { type: 'state', conversation: 'start', relationship: 'returning' };
    expect(firedAt(reasons(when, [user(1)], 1))).toEqual([0]);
    expect(firedAt(reasons(when, [user(1)], 0))).toEqual([]);
  });
});
