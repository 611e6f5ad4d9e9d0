import type { Scheduler, TimerHandle } from './scheduler.js';

interface DeadlineEntry<K> {
  key: K;
  dueAt: number;
}

/**
 * Deadlines of one stream on a single timer: however many injections wait, at most one timer is armed (for
 * the earliest), so 10,000 streams never hold more than 10,000 timers. Allocates nothing until the first
 * deadline.
 */
export class DeadlineTimer<K> {
  readonly #scheduler: Scheduler;
  readonly #onDue: (key: K) => void;
  #entries: DeadlineEntry<K>[] | undefined;
  #handle: TimerHandle | undefined;
  #armedFor: number | undefined;

  constructor(scheduler: Scheduler, onDue: (key: K) => void) {
    this.#scheduler = scheduler;
    this.#onDue = onDue;
  }

  /** Deadlines waiting. */
  get size(): number {
    return this.#entries?.length ?? 0;
  }
  /** Whether a timer is armed (at most one). */
  get armed(): boolean {
    return this.#handle !== undefined;
  }

  /** Calls `onDue(key)` at `dueAt` (epoch ms) unless cancelled before. */
  schedule(key: K, dueAt: number): void {
    this.#entries ??= [];
    const entries = this.#entries;
    let index = entries.length;
    while (index > 0 && entries[index - 1]!.dueAt > dueAt) index--;
    entries.splice(index, 0, { key, dueAt });
    this.#arm();
  }

  cancel(key: K): void {
    const entries = this.#entries;
    if (entries === undefined) return;
    const index = entries.findIndex((entry) => entry.key === key);
    if (index < 0) return;
    entries.splice(index, 1);
    this.#arm();
  }

  clear(): void {
    this.#entries = undefined;
    this.#arm();
  }

  #fire(): void {
    this.#handle = undefined;
    this.#armedFor = undefined;
    const now = this.#scheduler.now();
    const due: K[] = [];
    const entries = this.#entries;
    while (entries !== undefined && entries.length > 0 && entries[0]!.dueAt <= now) due.push(entries.shift()!.key);
    this.#arm();
    for (const key of due) this.#onDue(key);
  }

  /** Keeps exactly one timer, for the earliest deadline, or none. */
  #arm(): void {
    const earliest = this.#entries?.[0]?.dueAt;
    if (earliest === undefined) this.#entries = undefined;
    if (earliest === this.#armedFor) return;
    if (this.#handle !== undefined) this.#scheduler.clearTimer(this.#handle);
    this.#handle = undefined;
    this.#armedFor = earliest;
    if (earliest === undefined) return;
    this.#handle = this.#scheduler.setTimer(() => this.#fire(), earliest - this.#scheduler.now());
  }
}
