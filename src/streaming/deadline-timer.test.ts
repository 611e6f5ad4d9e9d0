import { describe, expect, it } from 'vitest';
import { DeadlineTimer } from './deadline-timer.js';
import { ManualScheduler } from './manual-scheduler.js';

describe('DeadlineTimer', () => {
  it('keeps a single timer for many deadlines and fires them in due order', () => {
    const scheduler = new ManualScheduler(1_000);
    const fired: Array<[string, number]> = [];
    const timer = new DeadlineTimer<string>(scheduler, (key) => fired.push([key, scheduler.now()]));
    timer.schedule('c', 1_300);
    timer.schedule('a', 1_100);
    timer.schedule('b', 1_200);
    timer.schedule('a2', 1_100);
    expect(scheduler.pendingTimers).toBe(1);
    expect(timer.size).toBe(4);
    scheduler.advance(150);
    expect(fired).toEqual([
      ['a', 1_100],
      ['a2', 1_100],
    ]);
    expect(scheduler.pendingTimers).toBe(1);
    scheduler.advance(1_000);
    expect(fired.map(([key]) => key)).toEqual(['a', 'a2', 'b', 'c']);
    expect(scheduler.pendingTimers).toBe(0);
    expect(timer.armed).toBe(false);
  });

  it('re-arms for the next deadline when the earliest is cancelled, and disarms when none is left', () => {
    const scheduler = new ManualScheduler();
    const fired: string[] = [];
    const timer = new DeadlineTimer<string>(scheduler, (key) => fired.push(key));
    timer.schedule('late', 500);
    timer.schedule('early', 100);
    timer.cancel('early');
    scheduler.advance(200);
    expect(fired).toEqual([]);
    expect(scheduler.pendingTimers).toBe(1);
    timer.cancel('late');
    expect(scheduler.pendingTimers).toBe(0);
    timer.schedule('x', 50);
    timer.clear();
    scheduler.advance(1_000);
    expect(fired).toEqual([]);
    expect(timer.size).toBe(0);
  });
});
