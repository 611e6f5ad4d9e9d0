import type { Injection } from '../../core/injection.js';
import type { RandomSource } from './seeded-random.js';
import type { Sink } from './sink.js';

/** The longest delay setTimeout takes: "until aborted". */
const FOREVER_MS = 2 ** 31 - 1;

/** Resolves after `ms` (0: next macrotask), or rejects when `signal` aborts first. */
function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A sink that records what it accepted, with the sink's own notion of time. */
export class RecordingSink implements Sink {
  readonly delivered: Array<{ injection: Injection; at: number }> = [];
  calls = 0;

  constructor(
    readonly id: string,
    protected readonly clock: () => number = Date.now,
    protected readonly latencyMs = 0,
  ) {}

  async send(injection: Injection, signal: AbortSignal): Promise<void> {
    this.calls++;
    if (this.latencyMs > 0) await wait(this.latencyMs, signal);
    this.delivered.push({ injection, at: this.clock() });
  }
}

export interface FlakySinkOptions {
  /** Share of calls that throw (0..1). */
  failureRate: number;
  /** Share of calls that hang until aborted (0..1). */
  hangRate?: number;
  random: RandomSource;
  clock?: () => number;
  latencyMs?: number;
}

/** A sink that fails or hangs a seeded share of its calls: fault injection for tests and benches. */
export class FlakySink extends RecordingSink {
  readonly #options: FlakySinkOptions;
  failures = 0;
  hangs = 0;

  constructor(id: string, options: FlakySinkOptions) {
    super(id, options.clock, options.latencyMs ?? 0);
    this.#options = options;
  }

  override async send(injection: Injection, signal: AbortSignal): Promise<void> {
    const draw = this.#options.random();
    if (draw < this.#options.failureRate) {
      this.calls++;
      this.failures++;
      if (this.latencyMs > 0) await wait(this.latencyMs, signal);
      throw new Error('injected failure');
    }
    if (draw < this.#options.failureRate + (this.#options.hangRate ?? 0)) {
      this.calls++;
      this.hangs++;
      await wait(FOREVER_MS, signal);
      return;
    }
    await super.send(injection, signal);
  }
}

/** A sink that never answers until its signal aborts. */
export class HangingSink implements Sink {
  calls = 0;
  constructor(readonly id: string) {}

  send(_injection: Injection, signal: AbortSignal): Promise<void> {
    this.calls++;
    return wait(FOREVER_MS, signal);
  }
}

/** A sink that always throws. */
export class DeadSink implements Sink {
  calls = 0;
  constructor(
    readonly id: string,
    readonly message = 'connection refused',
  ) {}

  async send(): Promise<void> {
    this.calls++;
    throw new Error(this.message);
  }
}
