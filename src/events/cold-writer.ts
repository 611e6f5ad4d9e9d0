import { BackendUnavailableError } from '../core/errors.js';
import type { EventRecord } from '../core/event-context.js';
import type { EventContextStore } from '../store/event-context-store.js';

export interface ColdWriterOptions {
  /** Buffered records are written within this window (default 50 ms). */
  flushIntervalMs?: number | undefined;
  /** Most records one store write holds (default 1,000). */
  maxBatch?: number | undefined;
  /** Most records waiting while the store fails; beyond it the oldest buffered ones are dropped (default 100,000). */
  maxPending?: number | undefined;
  /** Told about failed writes (never throws). */
  onError?: ((error: unknown) => void) | undefined;
}

export interface ColdWriterStats {
  pending: number;
  written: number;
  failedWrites: number;
  dropped: number;
  lastError: string | undefined;
}

/** A record whose writer waits for its commit (`write`); buffered records are queued as they are (no wrapper each). */
class AcknowledgedRecord {
  constructor(
    readonly record: EventRecord,
    readonly acknowledge: (error?: unknown) => void,
  ) {}
}

type Pending = EventRecord | AcknowledgedRecord;

function recordOf(item: Pending): EventRecord {
  return item instanceof AcknowledgedRecord ? item.record : item;
}

/**
 * Batches records into the cold tier. A buffered record is written within `flushIntervalMs`; an acknowledged one
 * starts a write at once (with whatever else is waiting: group commit) and its promise settles when that write
 * has committed. A failed write rejects its acknowledged callers and keeps every record for the next attempt
 * (records are content-addressed, so writing one twice is harmless).
 */
export class ColdWriter {
  readonly #store: EventContextStore;
  readonly #intervalMs: number;
  readonly #maxBatch: number;
  readonly #maxPending: number;
  readonly #onError: (error: unknown) => void;
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #immediate = false;
  #writing: Promise<void> = Promise.resolve();
  #retryDelayMs: number;
  readonly #stats = { written: 0, failedWrites: 0, dropped: 0, lastError: undefined as string | undefined };

  constructor(store: EventContextStore, options: ColdWriterOptions = {}) {
    this.#store = store;
    this.#intervalMs = options.flushIntervalMs ?? 50;
    this.#maxBatch = options.maxBatch ?? 1000;
    this.#maxPending = options.maxPending ?? 100_000;
    this.#retryDelayMs = this.#intervalMs;
    this.#onError = (error) => {
      try {
        options.onError?.(error);
      } catch {
        // nobody left to tell
      }
    };
  }

  /** True when so much is buffered that a buffered emit should wait for a write (backpressure, not loss). */
  get congested(): boolean {
    return this.#queue.length >= this.#maxBatch * 32;
  }

  get flushIntervalMs(): number {
    return this.#intervalMs;
  }

  /**
   * Buffers a record: written within the window, or on the next turn of the event loop once a batch is full — never
   * inside the emitter's own call (an emit loop keeps its pace; `congested` bounds what it can pile up meanwhile).
   */
  buffer(record: EventRecord): void {
    this.#push(record);
    if (this.#queue.length >= this.#maxBatch) this.#flushSoon();
    else this.#scheduleTimer(this.#intervalMs);
  }

  /** Writes a record now (with the others waiting); resolves once it is committed. */
  write(record: EventRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#push(new AcknowledgedRecord(record, (error) => (error === undefined ? resolve() : reject(error))));
      this.#flushSoon();
    });
  }

  /** Writes everything queued so far; resolves when that is done (or has failed: see stats). */
  flush(): Promise<void> {
    const next = this.#writing.then(() => this.#drain());
    this.#writing = next;
    return next;
  }

  stats(): ColdWriterStats {
    return { pending: this.#queue.length, ...this.#stats };
  }

  /** Flushes and stops the timer. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  #push(pending: Pending): void {
    this.#queue.push(pending);
    if (this.#queue.length <= this.#maxPending) return;
    // only while the store keeps failing (emitters wait on a congested queue otherwise): drop the oldest buffered record
    const index = this.#queue.findIndex((item) => !(item instanceof AcknowledgedRecord));
    if (index === 0) this.#queue.shift();
    else if (index > 0) this.#queue.splice(index, 1);
    if (index >= 0) this.#stats.dropped += 1;
  }

  /** A flush on the next macrotask (once, however many ask before it runs): what is queued by then is written together. */
  #flushSoon(): void {
    if (this.#immediate) return;
    this.#immediate = true;
    setImmediate(() => {
      this.#immediate = false;
      void this.flush();
    });
  }

  #scheduleTimer(delayMs: number): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, delayMs);
    this.#timer.unref();
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      try {
        await this.#store.putMany(batch.map(recordOf));
      } catch (error) {
        this.#stats.failedWrites += 1;
        this.#stats.lastError = error instanceof Error ? error.message : String(error);
        this.#onError(error);
        const failure = new BackendUnavailableError('The event could not be stored durably; retry later.', { cause: error });
        for (const item of batch) if (item instanceof AcknowledgedRecord) item.acknowledge(failure);
        this.#queue.unshift(...batch.map(recordOf));
        this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, 5_000);
        this.#scheduleTimer(this.#retryDelayMs);
        return;
      }
      this.#retryDelayMs = this.#intervalMs;
      this.#stats.written += batch.length;
      for (const item of batch) if (item instanceof AcknowledgedRecord) item.acknowledge();
    }
  }
}
