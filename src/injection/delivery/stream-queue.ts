import type { Injection, InjectionOutcome, StreamInput } from '../../core/injection.js';
import type { DegradationLevel } from '../resilience/degradation.js';
import { type FilterContext, type InjectionFilter, runFilters } from './filters/injection-filter.js';
import { PriorityBuffer, type PriorityBufferOptions, REMOVAL_OUTCOME } from './priority-buffer.js';
import { type ReleasePoint, releases } from './release-rule.js';
import { SyncPointTracker, type SyncPointTrackerOptions } from './sync-point-tracker.js';

/** Told of every injection that leaves the queue without being released (dropped, expired, cancelled, filtered). */
export type QueueOutcomeListener = (injection: Injection, outcome: InjectionOutcome, reason: string) => void;

export interface StreamQueueOptions {
  buffer?: Partial<Omit<PriorityBufferOptions, 'onRemoved'>>;
  /** Run, in order, on each injection as it is released; a rejection drops it (`filtered:<name>`). */
  filters?: InjectionFilter[];
  sync?: Partial<SyncPointTrackerOptions>;
  /** The current degradation level (default `full`), for the filters. */
  level?: () => DegradationLevel;
  onOutcome?: QueueOutcomeListener;
}

/**
 * One stream's delivery queue: a priority buffer, the sync-point tracker fed with the stream's inputs,
 * and a filter chain applied at release. Nothing is released while a turn is in progress except
 * `immediate` injections at a sentence end; what is released goes to the deliverer.
 */
export class StreamQueue {
  readonly buffer: PriorityBuffer;
  readonly #tracker: SyncPointTracker;
  readonly #filters: readonly InjectionFilter[];
  readonly #level: () => DegradationLevel;
  readonly #onOutcome: QueueOutcomeListener | undefined;
  readonly #counts = new Map<string, number>();

  constructor(options: StreamQueueOptions = {}) {
    this.#onOutcome = options.onOutcome;
    this.buffer = new PriorityBuffer({
      ...options.buffer,
      onRemoved: (injection, reason) => this.#ended(injection, REMOVAL_OUTCOME[reason], reason),
    });
    this.#tracker = new SyncPointTracker(options.sync);
    this.#filters = options.filters ?? [];
    this.#level = options.level ?? (() => 'full');
  }

  get inTurn(): boolean {
    return this.#tracker.inTurn;
  }

  /** Counts of what left the queue unreleased, keyed `<outcome>:<reason>` (e.g. `dropped:overflow`, `dropped:filtered:dedup`). */
  counts(): Record<string, number> {
    return Object.fromEntries(this.#counts);
  }

  /** Queues an injection; returns whether it was kept and what is due at once (between turns: `immediate` ones). */
  offer(injection: Injection, now: number): { accepted: boolean; due: Injection[] } {
    const point = this.#tracker.current();
    // Due at once (e.g. `immediate` between turns): it never waits, so it must not evict a waiting one either.
    if (point !== undefined && releases(point, injection.at)) {
      const verdict = runFilters(this.#filters, injection, { now, level: this.#level() });
      if (verdict.pass) return { accepted: true, due: [injection, ...this.#release(point, now)] };
      this.#ended(injection, 'dropped', verdict.reason);
      return { accepted: false, due: this.#release(point, now) };
    }
    const { accepted } = this.buffer.push(injection, now);
    return { accepted, due: this.#release(point, now) };
  }

  /** Puts back an injection the deliverer handed back (`requeue`); it passes the filters again at release. */
  requeue(injection: Injection, now: number): boolean {
    return this.buffer.push(injection, now).accepted;
  }

  /** Feeds a stream input; returns the injections it releases, best first, filtered. */
  input(input: StreamInput, now: number): Injection[] {
    return this.#release(this.#tracker.feed(input), now);
  }

  #release(point: ReleasePoint | undefined, now: number): Injection[] {
    if (point === undefined) {
      this.buffer.expire(now);
      return [];
    }
    const context: FilterContext = { now, level: this.#level() };
    const due: Injection[] = [];
    for (const injection of this.buffer.take(point, now)) {
      const verdict = runFilters(this.#filters, injection, context);
      if (verdict.pass) due.push(injection);
      else this.#ended(injection, 'dropped', verdict.reason);
    }
    return due;
  }

  #ended(injection: Injection, outcome: InjectionOutcome, reason: string): void {
    const key = `${outcome}:${reason}`;
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + 1);
    this.#onOutcome?.(injection, outcome, reason);
  }
}
