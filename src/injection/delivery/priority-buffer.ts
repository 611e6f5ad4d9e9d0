import { ValidationError } from '../../core/errors.js';
import type { Injection } from '../../core/injection.js';
import { type BufferedInjection, compareBuffered } from './priority-order.js';
import { type ReleasePoint, releases } from './release-rule.js';

/** Why an injection left the buffer without being taken. */
export type BufferRemovalReason = 'overflow' | 'ttl' | 'backpressure' | 'cancelled';

/** The injection outcome each removal counts as. */
export const REMOVAL_OUTCOME = {
  overflow: 'dropped',
  ttl: 'expired',
  backpressure: 'dropped',
  cancelled: 'cancelled',
} as const satisfies Record<BufferRemovalReason, string>;

export interface PriorityBufferOptions {
  /** Most injections held at once (default 64). */
  maxItems: number;
  /** Most tokens held at once (sum of `injection.tokens`; default unlimited). */
  maxTokens?: number | undefined;
  /** Told of every removal that is not a `take` (for the monitoring counters). */
  onRemoved?: ((injection: Injection, reason: BufferRemovalReason) => void) | undefined;
}

export interface PushResult {
  accepted: boolean;
  /** Injections that left the buffer during the push (the pushed one too, when not accepted). */
  removed: Array<{ injection: Injection; reason: BufferRemovalReason }>;
}

/**
 * The injections of one stream waiting for their sync point, best first (see `compareBuffered`).
 * Bounded by `maxItems` (and `maxTokens`): an overflow drops the lowest-ranked injection, which is the
 * new one when it ranks below everything held. A sorted array: O(n) inserts, fine for the small limits
 * a live stream needs.
 */
export class PriorityBuffer {
  readonly #options: PriorityBufferOptions;
  readonly #items: BufferedInjection[] = [];
  readonly #removed: Record<BufferRemovalReason, number> = { overflow: 0, ttl: 0, backpressure: 0, cancelled: 0 };
  #sequence = 0;
  #tokens = 0;

  constructor(options: Partial<PriorityBufferOptions> = {}) {
    this.#options = { maxItems: 64, ...options };
    if (!(Number.isInteger(this.#options.maxItems) && this.#options.maxItems >= 1)) {
      throw new ValidationError('buffer maxItems must be an integer ≥ 1');
    }
  }

  get size(): number {
    return this.#items.length;
  }

  get tokens(): number {
    return this.#tokens;
  }

  /** Removals so far by reason (the pushed injections refused on overflow included). */
  get removedCounts(): Readonly<Record<BufferRemovalReason, number>> {
    return { ...this.#removed };
  }

  /** The injections held, best first. */
  peek(): Injection[] {
    return this.#items.map((item) => item.injection);
  }

  /** Adds an injection (replacing one with the same id), then trims the lowest ones to the limits. */
  push(injection: Injection, now: number): PushResult {
    const removed: PushResult['removed'] = this.expire(now).map((expired) => ({ injection: expired, reason: 'ttl' }));
    this.#removeWhere((item) => item.injection.id === injection.id);
    if (isExpired(injection, now)) return { accepted: false, removed: [...removed, this.#count(injection, 'ttl')] };
    const { maxTokens } = this.#options;
    if (maxTokens !== undefined && injection.tokens > maxTokens) {
      return { accepted: false, removed: [...removed, this.#count(injection, 'overflow')] };
    }
    const entry = { injection, sequence: this.#sequence++ };
    this.#items.splice(this.#insertionIndex(entry), 0, entry);
    this.#tokens += injection.tokens;
    let accepted = true;
    while (this.#overLimit()) {
      const lowest = this.#items.pop();
      if (lowest === undefined) break;
      this.#tokens -= lowest.injection.tokens;
      if (lowest === entry) accepted = false;
      removed.push(this.#count(lowest.injection, 'overflow'));
    }
    return { accepted, removed };
  }

  /** Removes and returns, best first, what `point` releases (see `releases`), after dropping expired ones. */
  take(point: ReleasePoint, now: number): Injection[] {
    this.expire(now);
    return this.#removeWhere((item) => releases(point, item.injection.at));
  }

  /** Removes the injections past their `expiresAt` (counted `ttl`). */
  expire(now: number): Injection[] {
    return this.#removeWhere((item) => isExpired(item.injection, now)).map(
      (injection) => this.#count(injection, 'ttl').injection,
    );
  }

  /** Backpressure: removes every injection whose priority is below `priority` (counted `backpressure`). */
  dropBelow(priority: number): Injection[] {
    const dropped = this.#removeWhere((item) => item.injection.packet.metadata.priority < priority);
    return dropped.map((injection) => this.#count(injection, 'backpressure').injection);
  }

  /** Cancels one pending injection; false when it is not held. */
  cancel(id: string): boolean {
    return this.cancelPending((injection) => injection.id === id) > 0;
  }

  /** Cancels the pending injections matching `filter` (all by default); returns how many. */
  cancelPending(filter: (injection: Injection) => boolean = () => true): number {
    const cancelled = this.#removeWhere((item) => filter(item.injection));
    for (const injection of cancelled) this.#count(injection, 'cancelled');
    return cancelled.length;
  }

  #overLimit(): boolean {
    const { maxItems, maxTokens } = this.#options;
    return this.#items.length > maxItems || (maxTokens !== undefined && this.#tokens > maxTokens);
  }

  #insertionIndex(entry: BufferedInjection): number {
    let low = 0;
    let high = this.#items.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const item = this.#items[middle];
      if (item !== undefined && compareBuffered(item, entry) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Removes matching items in one pass, keeping order; returns their injections best first. */
  #removeWhere(matches: (item: BufferedInjection) => boolean): Injection[] {
    const removed: Injection[] = [];
    let kept = 0;
    for (const item of this.#items) {
      if (matches(item)) {
        removed.push(item.injection);
        this.#tokens -= item.injection.tokens;
      } else {
        this.#items[kept++] = item;
      }
    }
    this.#items.length = kept;
    return removed;
  }

  #count(injection: Injection, reason: BufferRemovalReason): { injection: Injection; reason: BufferRemovalReason } {
    this.#removed[reason]++;
    this.#options.onRemoved?.(injection, reason);
    return { injection, reason };
  }
}

function isExpired(injection: Injection, now: number): boolean {
  return injection.expiresAt !== undefined && injection.expiresAt <= now;
}
