import { describe, expect, it } from 'vitest';
import type { StreamInput } from '../../core/injection.js';
import { compileRules } from './compile-rules.js';
import { replayConversation, type ScriptStep } from './replay-conversation.js';

const inject = { assemble: {}, criticality: 'important' } as const;
const user = (at: number, content = 'let us continue'): ScriptStep => ({ at, input: { type: 'message', role: 'user', content } });
const event = (at: number, name: string): ScriptStep => ({ at, input: { type: 'event', name } });
const state = (at: number, input: Omit<Extract<StreamInput, { type: 'state' }>, 'type'>): ScriptStep => ({
  at,
  input: { type: 'state', ...input },
});
const tickAt = (at: number): ScriptStep => ({ at, tick: true });

function reasons(when: unknown, script: ScriptStep[], cooldownMs?: number): (string | undefined)[] {
  const rules = compileRules([{ id: 'r', when, inject, cooldownMs }]);
  return replayConversation(rules, script, { startedAt: 0 }).steps.map((step) => step.fired[0]?.reason);
}
const firedAt = (fired: (string | undefined)[]) => fired.flatMap((reason, index) => (reason === undefined ? [] : [index]));

describe('event rules', () => {
  it('on-demand fires on the explicit request, even within the cooldown', () => {
    const script = [user(1), event(2, 'context.requested'), event(3, 'context.requested'), event(4, 'other')];
    const fired = reasons({ type: 'event', name: 'context.requested', mode: 'on-demand' }, script, 60_000);
    expect(fired).toEqual([
      undefined,
      'on-demand request "context.requested"',
      'on-demand request "context.requested"',
      undefined,
    ]);
  });

  it('reactive fires on a named app event (prefix with *), within cooldown rules', () => {
    const script = [
      event(1, 'order.created'),
      event(2, 'order.paid'),
      event(3, 'user.signed-up'),
      event(70_000, 'order.shipped'),
    ];
    expect(reasons({ type: 'event', name: 'order.*' }, script)).toEqual([
      'event "order.created" (reactive)',
      'event "order.paid" (reactive)',
      undefined,
      'event "order.shipped" (reactive)',
    ]);
    expect(firedAt(reasons({ type: 'event', name: 'order.*' }, script, 60_000))).toEqual([0, 3]);
    expect(firedAt(reasons({ type: 'event', name: 'order.created' }, [user(1, 'order.created')]))).toEqual([]);
  });

  it('predictive fires lead time before an anticipated moment, once', () => {
    const when = { type: 'event', name: 'wrap-up', mode: 'predictive', afterMs: 1_800_000, leadMs: 120_000 };
    const fired = reasons(when, [user(1), tickAt(1_679_999), tickAt(1_680_000), tickAt(1_700_000), user(1_800_000)]);
    expect(firedAt(fired)).toEqual([2]);
    expect(fired[2]).toBe('predictive "wrap-up": 1680000 ms elapsed, 120000 ms before the anticipated 1800000 ms');
  });

  it('predictive fires before the anticipated message, and on keywords that predict the need', () => {
    const byCount = { type: 'event', name: 'summary', mode: 'predictive', afterMessages: 10, leadMessages: 2 };
    const messages = Array.from({ length: 12 }, (_, index) => user(index + 1));
    expect(firedAt(reasons(byCount, messages))).toEqual([7]);
    const byKeyword = { type: 'event', name: 'checkout', mode: 'predictive', keywords: ['cart', 'shipping cost'] };
    const fired = reasons(byKeyword, [user(1, 'I added it to my cart'), user(2, 'nice'), user(3, 'what is the shipping cost?')]);
    expect(fired).toEqual([
      'predictive "checkout": keyword "cart" anticipates it',
      undefined,
      'predictive "checkout": keyword "shipping cost" anticipates it',
    ]);
  });

  it('corrective fires on an error event, on the system entering error, on the user entering confusion', () => {
    const when = { type: 'event', name: 'tool.failed', mode: 'corrective' };
    const script = [
      user(1),
      event(2, 'tool.failed'),
      state(3, { system: 'error' }),
      state(4, { system: 'error' }),
      user(5, "I don't understand"),
      user(6, 'ok'),
      event(7, 'tool.ok'),
    ];
    expect(reasons(when, script)).toEqual([
      undefined,
      'corrective: event "tool.failed"',
      'corrective: system error',
      undefined,
      'corrective: user confused',
      undefined,
      undefined,
    ]);
  });
});
