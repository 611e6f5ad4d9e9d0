import type {
  InjectionDeliveredEvent,
  InjectionDroppedEvent,
  InjectionFailedEvent,
  InjectionPreparedEvent,
  StreamDataEvent,
  StreamEndEvent,
  StreamErrorEvent,
  StreamEvent,
  StreamPauseEvent,
  StreamResumeEvent,
  StreamStartEvent,
} from './stream-event.js';

type Callback<Event> = ((event: Event) => unknown) | undefined;

/**
 * Watches a stream without blocking it (seed 003's Stream Observer Interface). Every callback is optional;
 * one may return a promise, which is not awaited (a rejection is reported like a throw).
 */
export interface StreamObserver {
  onStreamStart?: Callback<StreamStartEvent>;
  onStreamData?: Callback<StreamDataEvent>;
  onStreamPause?: Callback<StreamPauseEvent>;
  onStreamResume?: Callback<StreamResumeEvent>;
  onStreamEnd?: Callback<StreamEndEvent>;
  onStreamError?: Callback<StreamErrorEvent>;
  onInjectionPrepared?: Callback<InjectionPreparedEvent>;
  onInjectionDelivered?: Callback<InjectionDeliveredEvent>;
  onInjectionDropped?: Callback<InjectionDroppedEvent>;
  onInjectionFailed?: Callback<InjectionFailedEvent>;
  /** Called for every event, after the specific callback. */
  onEvent?: Callback<StreamEvent>;
}

/** Told when an observer throws or rejects; it never breaks the stream or the other observers. */
export type ObserverErrorListener = (error: unknown, event: StreamEvent, observer: StreamObserver) => void;

/** Calls the callback of `observer` that matches `event`, then `onEvent`. */
function dispatch(observer: StreamObserver, event: StreamEvent): unknown[] {
  const results: unknown[] = [];
  switch (event.type) {
    case 'stream.start':
      results.push(observer.onStreamStart?.(event));
      break;
    case 'data':
      results.push(observer.onStreamData?.(event));
      break;
    case 'pause':
      results.push(observer.onStreamPause?.(event));
      break;
    case 'resume':
      results.push(observer.onStreamResume?.(event));
      break;
    case 'end':
      results.push(observer.onStreamEnd?.(event));
      break;
    case 'error':
      results.push(observer.onStreamError?.(event));
      break;
    case 'injection.prepared':
      results.push(observer.onInjectionPrepared?.(event));
      break;
    case 'injection.delivered':
      results.push(observer.onInjectionDelivered?.(event));
      break;
    case 'injection.dropped':
      results.push(observer.onInjectionDropped?.(event));
      break;
    case 'injection.failed':
      results.push(observer.onInjectionFailed?.(event));
      break;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
  results.push(observer.onEvent?.(event));
  return results;
}

/**
 * The subject side: holds observers and notifies them in the order they were added. An observer that throws
 * (or whose promise rejects) is reported to `onObserverError` and the others are still called. Storage is
 * allocated only when a second observer arrives (most streams have none or one).
 */
export class ObserverSubject {
  #observers: StreamObserver | StreamObserver[] | undefined;
  readonly #onObserverError: ObserverErrorListener | undefined;

  constructor(onObserverError?: ObserverErrorListener) {
    this.#onObserverError = onObserverError;
  }

  get size(): number {
    if (this.#observers === undefined) return 0;
    return Array.isArray(this.#observers) ? this.#observers.length : 1;
  }

  /** Adds an observer; the returned function removes it. */
  add(observer: StreamObserver): () => void {
    const current = this.#observers;
    if (current === undefined) this.#observers = observer;
    else if (Array.isArray(current)) current.push(observer);
    else this.#observers = [current, observer];
    return () => this.#remove(observer);
  }

  notify(event: StreamEvent): void {
    const current = this.#observers;
    if (current === undefined) return;
    if (!Array.isArray(current)) {
      this.#call(current, event);
      return;
    }
    for (const observer of [...current]) this.#call(observer, event);
  }

  #call(observer: StreamObserver, event: StreamEvent): void {
    try {
      for (const result of dispatch(observer, event)) {
        if (result instanceof Promise) result.catch((error: unknown) => this.#report(error, event, observer));
      }
    } catch (error) {
      this.#report(error, event, observer);
    }
  }

  #report(error: unknown, event: StreamEvent, observer: StreamObserver): void {
    try {
      this.#onObserverError?.(error, event, observer);
    } catch {
      // an error listener that fails has nobody left to tell
    }
  }

  #remove(observer: StreamObserver): void {
    const current = this.#observers;
    if (current === observer) this.#observers = undefined;
    else if (Array.isArray(current)) {
      const index = current.indexOf(observer);
      if (index >= 0) current.splice(index, 1);
      if (current.length === 0) this.#observers = undefined;
    }
  }
}
