import { ValidationError } from '../core/errors.js';

/** Why an item left the queue without being taken. */
export type DropReason = 'overflow' | 'below_priority';

export interface BackpressureQueueOptions<T> {
  /** The most items the queue ever holds; beyond it the lowest priority goes first. */
  limit: number;
  /** Depth at which `canAcceptMore()` turns false (default 80% of `limit`). */
  highWatermark?: number;
  /** Depth at which it turns true again after a high mark (default 25% of `limit`). */
  lowWatermark?: number;
  /** `arrival`: taken first in, first out (events); `priority`: highest priority first, FIFO among equals. */
  order?: 'arrival' | 'priority';
  /** Told of every drop, with the reason (to count it or to publish `injection.dropped`). */
  onDrop?: (item: T, reason: DropReason) => void;
  /** Told when the depth crosses the high watermark upwards, and the low one downwards after that. */
  onWatermark?: (level: 'high' | 'low', depth: number) => void;
}

interface Entry<T> {
  item: T;
  priority: number;
  sequence: number;
}

/**
 * A bounded, priority-aware queue for one consumer. Memory never grows past `limit` however slow the consumer:
 * on overflow the lowest priority is dropped (among equals the newest, so what was accepted stays accepted) and
 * counted. `pause()` only marks the consumer as not reading (pushers check `paused`); items still queue up to
 * the limit. Nothing is allocated until the first push, and storage is released when the queue empties, so an
 * idle queue costs a few fields. Options may be shared by many queues.
 */
export class BackpressureQueue<T> {
  readonly #options: BackpressureQueueOptions<T>;
  #entries: Entry<T>[] | undefined;
  #sequence = 0;
  #dropped = 0;
  #paused = false;
  #aboveHigh = false;

  constructor(options: BackpressureQueueOptions<T>) {
    if (!Number.isInteger(options.limit) || options.limit < 1)
      throw new ValidationError('queue limit must be a positive integer');
    this.#options = options;
  }

  get limit(): number {
    return this.#options.limit;
  }
  get queueDepth(): number {
    return this.#entries?.length ?? 0;
  }
  /** Items dropped so far (overflow and `dropBelow`). */
  get dropped(): number {
    return this.#dropped;
  }
  get paused(): boolean {
    return this.#paused;
  }
  get highWatermark(): number {
    return this.#options.highWatermark ?? Math.max(1, Math.ceil(this.#options.limit * 0.8));
  }
  get lowWatermark(): number {
    return this.#options.lowWatermark ?? Math.floor(this.#options.limit * 0.25);
  }

  /** False from the high watermark until the depth falls back to the low one. */
  canAcceptMore(): boolean {
    return !this.#aboveHigh && this.queueDepth < this.#options.limit;
  }

  pause(): void {
    this.#paused = true;
  }
  resume(): void {
    this.#paused = false;
  }

  /** Adds an item; false when it was itself the one dropped (the queue was full of higher or equal priorities). */
  push(item: T, priority: number): boolean {
    this.#entries ??= [];
    const entries = this.#entries;
    const entry: Entry<T> = { item, priority, sequence: this.#sequence++ };
    if (entries.length >= this.#options.limit) {
      const victimIndex = this.#lowestIndex(entries);
      const victim = entries[victimIndex]!;
      if (priority <= victim.priority) {
        this.#drop(item, 'overflow');
        return false;
      }
      entries.splice(victimIndex, 1);
      this.#drop(victim.item, 'overflow');
    }
    if (this.#options.order === 'priority') entries.splice(this.#insertionIndex(entries, priority), 0, entry);
    else entries.push(entry);
    if (!this.#aboveHigh && entries.length >= this.highWatermark) {
      this.#aboveHigh = true;
      this.#options.onWatermark?.('high', entries.length);
    }
    return true;
  }

  /** The next item in the queue's order (whether paused or not: taking is reading). */
  shift(): T | undefined {
    const entry = this.#entries?.shift();
    this.#afterRemoval();
    return entry?.item;
  }

  peek(): T | undefined {
    return this.#entries?.[0]?.item;
  }

  /** Takes up to `max` items in order. */
  drain(max = Number.POSITIVE_INFINITY): T[] {
    const taken: T[] = [];
    while (taken.length < max && this.queueDepth > 0) taken.push(this.shift() as T);
    return taken;
  }

  /** Drops (and counts) every item whose priority is below `priority`; returns them. */
  dropBelow(priority: number): T[] {
    const removed = this.#removeWhere((entry) => entry.priority < priority);
    for (const item of removed) this.#drop(item, 'below_priority');
    return removed;
  }

  /** Removes matching items without counting them as drops (cancelled or withdrawn); returns them. */
  remove(predicate: (item: T) => boolean): T[] {
    return this.#removeWhere((entry) => predicate(entry.item));
  }

  /** Items in the queue's order, without taking them. */
  snapshot(): T[] {
    return (this.#entries ?? []).map((entry) => entry.item);
  }

  #removeWhere(test: (entry: Entry<T>) => boolean): T[] {
    const entries = this.#entries;
    if (entries === undefined) return [];
    const removed: T[] = [];
    const kept: Entry<T>[] = [];
    for (const entry of entries) {
      if (test(entry)) removed.push(entry.item);
      else kept.push(entry);
    }
    if (removed.length > 0) {
      this.#entries = kept;
      this.#afterRemoval();
    }
    return removed;
  }

  /** The lowest priority; among equals the newest (tail drop). */
  #lowestIndex(entries: Entry<T>[]): number {
    if (this.#options.order === 'priority') return entries.length - 1;
    let lowest = entries.length - 1;
    for (let index = entries.length - 2; index >= 0; index--) {
      if (entries[index]!.priority < entries[lowest]!.priority) lowest = index;
    }
    return lowest;
  }

  /** After every entry of priority ≥ `priority` (upper bound in a list sorted high to low). */
  #insertionIndex(entries: Entry<T>[], priority: number): number {
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (entries[middle]!.priority >= priority) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  #drop(item: T, reason: DropReason): void {
    this.#dropped++;
    this.#options.onDrop?.(item, reason);
  }

  #afterRemoval(): void {
    const depth = this.queueDepth;
    if (depth === 0) this.#entries = undefined;
    if (this.#aboveHigh && depth <= this.lowWatermark) {
      this.#aboveHigh = false;
      this.#options.onWatermark?.('low', depth);
    }
  }
}
