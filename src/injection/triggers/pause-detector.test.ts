import { describe, expect, it } from 'vitest';
import { PauseDetector } from './pause-detector.js';

const user = (content: string) => ({ type: 'message', role: 'user', content }) as const;

describe('PauseDetector', () => {
  it('reports a gap before a message as a pause, and no pause for a short gap', () => {
    const detector = new PauseDetector(0, { pauseMs: 1_000 });
    expect(detector.observe(user('hi'), 500)).toEqual([]);
    expect(detector.observe(user('still there?'), 2_000)).toEqual([{ type: 'pause', durationMs: 1_500, source: 'gap' }]);
  });

  it('reports an explicit silence input once per silence, and only when long enough', () => {
    const detector = new PauseDetector(0, { pauseMs: 1_000 });
    expect(detector.observe({ type: 'silence', ms: 600 }, 600)).toEqual([]);
    expect(detector.observe({ type: 'silence', ms: 1_200 }, 1_200)).toEqual([
      { type: 'pause', durationMs: 1_200, source: 'silence-input' },
    ]);
    expect(detector.observe({ type: 'silence', ms: 2_400 }, 2_400)).toEqual([]);
    expect(detector.silenceMs(3_000)).toBe(3_000);
    // Activity ends the silence; the next one is reported again.
    detector.observe(user('ok'), 3_000);
    expect(detector.observe({ type: 'silence', ms: 1_000 }, 4_000)).toHaveLength(1);
  });

  it('finds pauses by elapsed time when polled with a scripted clock', () => {
    const detector = new PauseDetector(0, { pauseMs: 1_000 });
    detector.observe(user('hello'), 100);
    expect(detector.poll(900)).toEqual([]);
    expect(detector.poll(1_100)).toEqual([{ type: 'pause', durationMs: 1_000, source: 'elapsed' }]);
    expect(detector.poll(5_000)).toEqual([]);
    // The gap before the next message is not reported twice.
    expect(detector.observe(user('back'), 6_000)).toEqual([]);
  });

  it('times turns: turn end with duration, long turns once per turn', () => {
    const detector = new PauseDetector(0, { longTurnMs: 10_000 });
    detector.observe({ type: 'turn-start', role: 'user' }, 1_000);
    expect(detector.turnMs(4_000)).toBe(3_000);
    expect(detector.poll(10_999)).toEqual([]);
    expect(detector.poll(11_000)).toContainEqual({ type: 'long-turn', role: 'user', durationMs: 10_000 });
    expect(detector.poll(12_000).filter((event) => event.type === 'long-turn')).toEqual([]);
    expect(detector.observe({ type: 'turn-end' }, 12_500)).toEqual([{ type: 'turn-ended', role: 'user', durationMs: 11_500 }]);
    expect(detector.turnMs(13_000)).toBeUndefined();
  });

  it('tracks the time since the last user message', () => {
    const detector = new PauseDetector(0);
    expect(detector.sinceLastUserMessageMs(100)).toBeUndefined();
    detector.observe(user('hi'), 200);
    detector.observe({ type: 'message', role: 'assistant', content: 'hello' }, 300);
    expect(detector.sinceLastUserMessageMs(1_200)).toBe(1_000);
  });
});
