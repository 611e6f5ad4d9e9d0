import { ValidationError } from '../../core/errors.js';

export interface FailureBudgetOptions {
  /** Length of the sliding window (default 60 s). */
  windowMs: number;
  /** Width of one bucket (default 1 s): the window holds `windowMs / bucketMs` buckets. */
  bucketMs: number;
}

/** What the window holds at one moment. */
export interface FailureBudgetSample {
  successes: number;
  failures: number;
  /** failures / (successes + failures); 0 when the window is empty. */
  ratio: number;
}

/**
 * Delivery attempts over a sliding window, as a ring of per-bucket counters: memory is fixed
 * (`windowMs / bucketMs` buckets) whatever the traffic. Time comes from the caller (`now`), so tests
 * need no clock.
 */
export class FailureBudget {
  readonly #bucketMs: number;
  readonly #stamps: Float64Array;
  readonly #successes: Uint32Array;
  readonly #failures: Uint32Array;

  constructor(options: Partial<FailureBudgetOptions> = {}) {
    const windowMs = options.windowMs ?? 60_000;
    this.#bucketMs = options.bucketMs ?? 1_000;
    if (!(this.#bucketMs > 0) || !(windowMs >= this.#bucketMs)) {
      throw new ValidationError('failure budget needs bucketMs > 0 and windowMs ≥ bucketMs');
    }
    const size = Math.ceil(windowMs / this.#bucketMs);
    this.#stamps = new Float64Array(size).fill(-1);
    this.#successes = new Uint32Array(size);
    this.#failures = new Uint32Array(size);
  }

  record(success: boolean, now: number): void {
    const index = this.#bucketAt(now);
    if (success) this.#successes[index] = (this.#successes[index] ?? 0) + 1;
    else this.#failures[index] = (this.#failures[index] ?? 0) + 1;
  }

  sample(now: number): FailureBudgetSample {
    const current = Math.floor(now / this.#bucketMs);
    const oldest = current - this.#stamps.length + 1;
    let successes = 0;
    let failures = 0;
    for (let index = 0; index < this.#stamps.length; index++) {
      const stamp = this.#stamps[index] ?? -1;
      if (stamp < oldest || stamp > current) continue;
      successes += this.#successes[index] ?? 0;
      failures += this.#failures[index] ?? 0;
    }
    const total = successes + failures;
    return { successes, failures, ratio: total === 0 ? 0 : failures / total };
  }

  #bucketAt(now: number): number {
    const stamp = Math.floor(now / this.#bucketMs);
    const index = stamp % this.#stamps.length;
    if (this.#stamps[index] !== stamp) {
      this.#stamps[index] = stamp;
      this.#successes[index] = 0;
      this.#failures[index] = 0;
    }
    return index;
  }
}
