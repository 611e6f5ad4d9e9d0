import type { Scheduler, TimerHandle } from './scheduler.js';

interface ManualTimer {
  id: number;
  dueAt: number;
  callback: () => void;
}

/**
 * A scheduler whose time moves only when told (`advance`, `advanceTo`): deterministic tests of deadlines
 * and hook timeouts. Timers fire in due order, ties in the order they were armed.
 */
export class ManualScheduler implements Scheduler {
  #now: number;
  #nextId = 1;
  #timers: ManualTimer[] = [];

  constructor(startAt = 0) {
    this.#now = startAt;
  }

  now(): number {
    return this.#now;
  }

  setTimer(callback: () => void, delayMs: number): TimerHandle {
    const timer: ManualTimer = { id: this.#nextId++, dueAt: this.#now + Math.max(0, delayMs), callback };
    this.#timers.push(timer);
    return timer.id;
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Timers armed and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (including ones armed meanwhile). */
  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  advanceTo(time: number): void {
    for (;;) {
      const next = this.#earliestDue(time);
      if (next === undefined) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      this.#now = Math.max(this.#now, next.dueAt);
      next.callback();
    }
    this.#now = Math.max(this.#now, time);
  }

  #earliestDue(time: number): ManualTimer | undefined {
    let earliest: ManualTimer | undefined;
    for (const timer of this.#timers) {
      if (timer.dueAt > time) continue;
      if (earliest === undefined || timer.dueAt < earliest.dueAt) earliest = timer;
    }
    return earliest;
  }
}
