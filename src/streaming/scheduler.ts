/** An opaque handle of an armed timer. */
export type TimerHandle = unknown;

/**
 * The clock and timers the streaming building blocks use. Injected so tests drive time by hand
 * (`ManualScheduler`) and no test waits on the wall clock.
 */
export interface Scheduler {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `callback` once after `delayMs` (at least 0). */
  setTimer(callback: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** The real clock: `Date.now` and unref'd `setTimeout`, so pending deadlines never keep the process alive. */
export const systemScheduler: Scheduler = Object.freeze({
  now: () => Date.now(),
  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer = setTimeout(callback, Math.max(0, delayMs));
    timer.unref();
    return timer;
  },
  clearTimer(handle: TimerHandle): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
});
