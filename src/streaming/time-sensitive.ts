import type { Injection } from '../core/injection.js';
import { DeadlineTimer } from './deadline-timer.js';
import type { InjectionResult } from './injection-interface.js';
import type { Scheduler } from './scheduler.js';

/** A named point in a stream: `turn-end`, `sentence-end`, `silence`, `turn-start`, `message`, or an event name. */
export type StreamMarker = string;

/** What a pending injection waits for. */
export type PendingCondition =
  | { kind: 'within' }
  /** Released at once; cancelled with `marker_passed` if the marker comes before it is delivered. */
  | { kind: 'before'; marker: StreamMarker }
  /** Held until the marker is reached, then released. */
  | { kind: 'after'; marker: StreamMarker };

/** A pending injection as `cancelPending` filters see it. */
export interface PendingInjection {
  injection: Injection;
  condition: PendingCondition;
  /** Handed to the outbound path already (waiting there to be delivered). */
  released: boolean;
}

interface Entry extends PendingInjection {
  resolve: (result: InjectionResult) => void;
}

export interface TimeSensitiveOptions {
  scheduler: Scheduler;
  /** Hands an injection to the outbound path (queue or push); its fate comes back through `settle`. */
  release: (injection: Injection) => void;
  /** Takes a released injection back from the outbound path (it failed or was cancelled meanwhile). */
  withdraw: (injection: Injection) => void;
  /** Told of every injection that ends here without delivery (deadline, marker, cancel). */
  onUnsettled?: (result: InjectionResult) => void;
}

/**
 * Seed 003's Time-Sensitive Interface for one stream: deliver within a deadline, before or after a marker,
 * cancel what is pending. Every call resolves with the injection's outcome; deadlines and TTLs of all pending
 * injections share one timer. Nothing is allocated while nothing is pending.
 */
export class TimeSensitiveInjections {
  readonly #options: TimeSensitiveOptions;
  #entries: Map<string, Entry> | undefined;
  #timer: DeadlineTimer<string> | undefined;

  constructor(options: TimeSensitiveOptions) {
    this.#options = options;
  }

  /** Injections waiting for a marker, delivery or their deadline. */
  get size(): number {
    return this.#entries?.size ?? 0;
  }

  /** Released now; fails with `deadline_exceeded` unless delivered within `deadlineMs` (or by its own deadline). */
  injectWithin(deadlineMs: number, injection: Injection): Promise<InjectionResult> {
    const deadlineAt = Math.min(injection.deadlineAt ?? Number.POSITIVE_INFINITY, this.#options.scheduler.now() + deadlineMs);
    return this.add({ ...injection, deadlineAt }, { kind: 'within' });
  }

  injectBefore(marker: StreamMarker, injection: Injection): Promise<InjectionResult> {
    return this.add(injection, { kind: 'before', marker });
  }

  injectAfter(marker: StreamMarker, injection: Injection): Promise<InjectionResult> {
    return this.add(injection, { kind: 'after', marker });
  }

  /** The stream reached `marker`: releases what waited for it, fails what had to go out before it. */
  markerReached(marker: StreamMarker): void {
    if (this.#entries === undefined) return;
    for (const entry of [...this.#entries.values()]) {
      const { condition } = entry;
      if (condition.kind === 'after' && condition.marker === marker && !entry.released) this.#release(entry);
      else if (condition.kind === 'before' && condition.marker === marker) this.#fail(entry, 'failed', 'marker_passed');
    }
  }

  /** The outbound path reports how a released injection ended. False when it was no longer pending here. */
  settle(result: InjectionResult): boolean {
    const entry = this.#entries?.get(result.injection.id);
    if (entry === undefined) return false;
    this.#finish(entry, result);
    return true;
  }

  /** Cancels pending injections (all, or those `filter` selects); returns their results. */
  cancelPending(filter?: (pending: PendingInjection) => boolean, reason = 'cancelled'): InjectionResult[] {
    if (this.#entries === undefined) return [];
    const results: InjectionResult[] = [];
    for (const entry of [...this.#entries.values()]) {
      if (filter !== undefined && !filter(entry)) continue;
      results.push(this.#fail(entry, 'cancelled', reason));
    }
    return results;
  }

  /** Tracks an injection under `condition` (released at once unless it waits `after` a marker). */
  add(injection: Injection, condition: PendingCondition): Promise<InjectionResult> {
    return new Promise((resolve) => {
      const entry: Entry = { injection, condition, released: false, resolve };
      this.#entries ??= new Map();
      this.#entries.set(injection.id, entry);
      const dueAt = Math.min(injection.deadlineAt ?? Number.POSITIVE_INFINITY, injection.expiresAt ?? Number.POSITIVE_INFINITY);
      if (dueAt !== Number.POSITIVE_INFINITY) {
        this.#timer ??= new DeadlineTimer(this.#options.scheduler, (id) => this.#onDue(id));
        this.#timer.schedule(injection.id, dueAt);
      }
      if (condition.kind !== 'after') this.#release(entry);
    });
  }

  #release(entry: Entry): void {
    entry.released = true;
    this.#options.release(entry.injection);
  }

  #onDue(id: string): void {
    const entry = this.#entries?.get(id);
    if (entry === undefined) return;
    const { deadlineAt } = entry.injection;
    if (deadlineAt !== undefined && deadlineAt <= this.#options.scheduler.now()) this.#fail(entry, 'failed', 'deadline_exceeded');
    else this.#fail(entry, 'expired', 'ttl');
  }

  #fail(entry: Entry, outcome: 'failed' | 'expired' | 'cancelled', reason: string): InjectionResult {
    if (entry.released) this.#options.withdraw(entry.injection);
    const result: InjectionResult = { injection: entry.injection, outcome, reason };
    this.#finish(entry, result);
    this.#options.onUnsettled?.(result);
    return result;
  }

  #finish(entry: Entry, result: InjectionResult): void {
    const id = entry.injection.id;
    this.#entries?.delete(id);
    this.#timer?.cancel(id);
    if (this.#entries?.size === 0) this.#entries = undefined;
    entry.resolve(result);
  }
}
