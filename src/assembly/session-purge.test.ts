import { afterEach, describe, expect, it, vi } from 'vitest';
import { scheduleSessionPurge } from './session-purge.js';
import type { SessionService } from './session-service.js';

describe('scheduled session purge', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function counting(outcomes: Array<number | Error>) {
    let calls = 0;
    const sessions = {
      purgeExpired: async () => {
        const outcome = outcomes[calls++] ?? 0;
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
    } as unknown as SessionService;
    return { sessions, calls: () => calls };
  }

  it('purges every interval, reports a failure and keeps going, and stops when told', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const { sessions, calls } = counting([3, new Error('database down'), 1]);
    const stop = scheduleSessionPurge(sessions, 1000, (error) => errors.push(error));
    expect(calls()).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls()).toBe(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(calls()).toBe(3);
    expect(errors).toEqual([new Error('database down')]);
    stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls()).toBe(3);
  });

  it('never schedules with an interval of 0', async () => {
    vi.useFakeTimers();
    const { sessions, calls } = counting([]);
    scheduleSessionPurge(sessions, 0, () => {});
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls()).toBe(0);
  });
});
