import { describe, expect, it } from 'vitest';
import { compileRules } from './compile-rules.js';
import { replayConversation, type ScriptStep } from './replay-conversation.js';

const inject = { assemble: {}, criticality: 'helpful' } as const;
const user = (at: number, content = 'hello there'): ScriptStep => ({ at, input: { type: 'message', role: 'user', content } });
const assistant = (at: number, content = 'hi'): ScriptStep => ({ at, input: { type: 'message', role: 'assistant', content } });
const tickAt = (at: number): ScriptStep => ({ at, tick: true });

function reasons(when: unknown, script: ScriptStep[], startedAt = 0): (string | undefined)[] {
  const rules = compileRules([{ id: 'r', when, inject }]);
  return replayConversation(rules, script, { startedAt }).steps.map((step) => step.fired[0]?.reason);
}
const firedAt = (fired: (string | undefined)[]) => fired.flatMap((reason, index) => (reason === undefined ? [] : [index]));

describe('temporal rules', () => {
  it('every N messages fires on the Nth message since it last fired, and not in between', () => {
    const script = Array.from({ length: 10 }, (_, index) => (index % 2 ? assistant(index * 1_000) : user(index * 1_000)));
    const fired = reasons({ type: 'every', messages: 3 }, script);
    expect(firedAt(fired)).toEqual([2, 5, 8]);
    expect(fired[2]).toBe('every 3 messages (3 since start)');
    expect(fired[5]).toBe('every 3 messages (3 since last)');
  });

  it('every N messages of a role counts only that role', () => {
    const script = [user(0), assistant(1), assistant(2), user(3), assistant(4), user(5), user(6)];
    expect(firedAt(reasons({ type: 'every', messages: 2, role: 'user' }, script))).toEqual([3, 6]);
  });

  it('every T ms fires from the timer path once the time since the last firing has passed', () => {
    const script = [tickAt(30_000), tickAt(60_000), tickAt(90_000), tickAt(119_999), tickAt(120_000)];
    const fired = reasons({ type: 'every', ms: 60_000 }, script, 0);
    expect(firedAt(fired)).toEqual([1, 4]);
    expect(fired[1]).toBe('every 60000 ms (60000 ms since start)');
  });

  it('a schedule fires once per due instant, never for instants before the stream began', () => {
    const base = Date.parse('2026-11-21T10:00:00Z');
    const when = { type: 'schedule', at: ['2026-11-21T09:00:00Z', '2026-11-21T10:05:00Z', '2026-11-21T10:10:00Z'] };
    const script = [
      tickAt(base),
      tickAt(base + 4 * 60_000),
      tickAt(base + 5 * 60_000),
      tickAt(base + 6 * 60_000),
      user(base + 11 * 60_000),
    ];
    const fired = reasons(when, script, base);
    expect(firedAt(fired)).toEqual([2, 4]);
    expect(fired[2]).toBe('scheduled at 2026-11-21T10:05:00.000Z');
  });

  it('a recurring schedule fires at each boundary from startAt', () => {
    const start = Date.parse('2026-11-21T00:00:00Z');
    const when = { type: 'schedule', everyMs: 3_600_000, startAt: '2026-11-21T00:00:00Z' };
    const hour = 3_600_000;
    const script = [
      tickAt(start + 1_000),
      tickAt(start + hour - 1),
      tickAt(start + hour),
      tickAt(start + hour + 5),
      tickAt(start + 2 * hour + 7),
    ];
    expect(firedAt(reasons(when, script, start + 1_000))).toEqual([2, 4]);
  });

  it('decaying frequency fires after N, then N·f, N·f² messages, at most max times', () => {
    const script = Array.from({ length: 30 }, (_, index) => user(index * 1_000));
    const fired = reasons({ type: 'decay', firstAfter: 2, factor: 2, max: 3 }, script);
    expect(firedAt(fired)).toEqual([1, 5, 13]);
    expect(fired[5]).toBe('decaying frequency: 4 messages since last (gap 4, firing 2 of 3)');
  });

  it('silence fires on a silence input, on a tick after the time, or on the gap before a message — once per silence', () => {
    const when = { type: 'silence', ms: 5_000 };
    expect(
      firedAt(
        reasons(when, [
          user(0),
          { at: 3_000, input: { type: 'silence', ms: 3_000 } },
          { at: 6_000, input: { type: 'silence', ms: 6_000 } },
          { at: 7_000, input: { type: 'silence', ms: 7_000 } },
        ]),
      ),
    ).toEqual([2]);
    const ticks = reasons(when, [
      user(0),
      tickAt(4_999),
      tickAt(5_000),
      tickAt(9_000),
      user(10_000),
      tickAt(12_000),
      tickAt(15_000),
    ]);
    expect(firedAt(ticks)).toEqual([2, 6]);
    expect(ticks[2]).toBe('silence 5000 ms ≥ 5000 ms');
    const gap = reasons(when, [user(0), user(2_000), user(8_000)]);
    expect(firedAt(gap)).toEqual([2]);
    expect(gap[2]).toBe('silence 6000 ms ≥ 5000 ms before this message');
  });
});
