import { BackpressureQueue, type DropReason } from './backpressure-queue.js';
import { type StreamEvent, streamEventPriority } from './stream-event.js';

export interface EventIteratorOptions {
  /** The most events buffered for this consumer while it is not reading (default 256). */
  limit?: number;
  /** Told of each event this consumer lost because it lagged. */
  onDrop?: (event: StreamEvent, reason: DropReason) => void;
  /** Called once when the consumer stops (break, `return()`, or the stream's end was read). */
  onClose?: () => void;
}

/**
 * One `for await` consumer of a stream's events. Events wait in a bounded queue (lifecycle events outrank
 * injection events, which outrank data), so a consumer that stops reading loses the least important events
 * instead of growing memory. Breaking out of the loop (`return()`) unsubscribes; the loop ends after the
 * stream's end once the buffered events are read.
 */
export class StreamEventIterator implements AsyncIterableIterator<StreamEvent> {
  readonly #queue: BackpressureQueue<StreamEvent>;
  readonly #onClose: (() => void) | undefined;
  #waiting: ((result: IteratorResult<StreamEvent>) => void) | undefined;
  #closing = false;
  #finished = false;

  constructor(options: EventIteratorOptions = {}) {
    const queueOptions = { limit: options.limit ?? 256, ...(options.onDrop ? { onDrop: options.onDrop } : {}) };
    this.#queue = new BackpressureQueue<StreamEvent>(queueOptions);
    this.#onClose = options.onClose;
  }

  /** Events buffered and not yet read. */
  get queueDepth(): number {
    return this.#queue.queueDepth;
  }
  /** Events this consumer lost. */
  get dropped(): number {
    return this.#queue.dropped;
  }
  get finished(): boolean {
    return this.#finished;
  }

  /** Offers an event (the session calls this); handed straight to a waiting reader when there is one. */
  push(event: StreamEvent): void {
    if (this.#closing || this.#finished) return;
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting({ value: event, done: false });
      return;
    }
    this.#queue.push(event, streamEventPriority(event));
  }

  /** No more events will come: the reader gets what is buffered, then `done`. */
  close(): void {
    if (this.#closing) return;
    this.#closing = true;
    if (this.#queue.queueDepth === 0) this.#finish();
  }

  next(): Promise<IteratorResult<StreamEvent>> {
    const event = this.#queue.shift();
    if (event !== undefined) {
      if (this.#closing && this.#queue.queueDepth === 0) this.#finish();
      return Promise.resolve({ value: event, done: false });
    }
    if (this.#closing || this.#finished) {
      this.#finish();
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve) => {
      this.#waiting = resolve;
    });
  }

  /** The consumer stops (`break` in a `for await` calls this): unsubscribes and frees the buffer. */
  return(): Promise<IteratorResult<StreamEvent>> {
    this.#queue.remove(() => true);
    this.#closing = true;
    this.#finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<StreamEvent> {
    return this;
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.({ value: undefined, done: true });
    this.#onClose?.();
  }
}
