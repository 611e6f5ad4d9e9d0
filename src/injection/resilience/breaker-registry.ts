import {
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleAll,
  SamplingBreaker,
} from 'cockatiel';
import { ValidationError } from '../../core/errors.js';

/** A breaker's state as reported to monitoring. */
export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

/** How a sink's breaker decides to open. */
export type BreakerConfig =
  | { kind: 'consecutive'; failures: number; halfOpenAfterMs: number }
  | {
      kind: 'sampling';
      /** Opens when failures exceed this share (0 < threshold < 1) of the calls in the window. */
      threshold: number;
      durationMs: number;
      /** Calls per second needed before the ratio counts (cockatiel's default: 5 / (threshold × 1000) per ms). */
      minimumRps?: number;
      halfOpenAfterMs: number;
    };

export const DEFAULT_BREAKER: Readonly<BreakerConfig> = Object.freeze({
  kind: 'consecutive',
  failures: 5,
  halfOpenAfterMs: 10_000,
});

/** Called on every breaker state change (for counters and monitoring). */
export type BreakerListener = (sinkId: string, state: BreakerState) => void;

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

/** Validates a breaker configuration. */
export function validateBreakerConfig(config: BreakerConfig): Readonly<BreakerConfig> {
  if (!(config.halfOpenAfterMs >= 0)) throw new ValidationError('breaker halfOpenAfterMs must be ≥ 0');
  if (config.kind === 'consecutive' && !(Number.isInteger(config.failures) && config.failures >= 1)) {
    throw new ValidationError('breaker failures must be an integer ≥ 1');
  }
  if (config.kind === 'sampling' && !(config.threshold > 0 && config.threshold < 1 && config.durationMs > 0)) {
    throw new ValidationError('sampling breaker needs 0 < threshold < 1 and durationMs > 0');
  }
  return Object.freeze({ ...config });
}

/**
 * One cockatiel circuit breaker per sink id, created on first use. Memory grows with the number of
 * distinct sink ids (a handful per process: one per transport or webhook, not one per stream); call
 * `forget(id)` when a sink goes away for good.
 */
export class BreakerRegistry {
  readonly #config: Readonly<BreakerConfig>;
  readonly #listener: BreakerListener | undefined;
  readonly #breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(config: BreakerConfig = DEFAULT_BREAKER, listener?: BreakerListener) {
    this.#config = validateBreakerConfig(config);
    this.#listener = listener;
  }

  /** The breaker of a sink (created closed on first use). */
  get(sinkId: string): CircuitBreakerPolicy {
    let breaker = this.#breakers.get(sinkId);
    if (breaker === undefined) {
      breaker = circuitBreaker(handleAll, { halfOpenAfter: this.#config.halfOpenAfterMs, breaker: this.#newBreaker() });
      breaker.onStateChange((state) => this.#listener?.(sinkId, STATE_NAMES[state]));
      this.#breakers.set(sinkId, breaker);
    }
    return breaker;
  }

  /** The state of a sink's breaker; `closed` for a sink never used. */
  state(sinkId: string): BreakerState {
    const breaker = this.#breakers.get(sinkId);
    return breaker === undefined ? 'closed' : STATE_NAMES[breaker.state];
  }

  /** Every known sink and its breaker state. */
  states(): Record<string, BreakerState> {
    const result: Record<string, BreakerState> = {};
    for (const [id, breaker] of this.#breakers) result[id] = STATE_NAMES[breaker.state];
    return result;
  }

  forget(sinkId: string): void {
    this.#breakers.delete(sinkId);
  }

  #newBreaker(): ConsecutiveBreaker | SamplingBreaker {
    const config = this.#config;
    if (config.kind === 'consecutive') return new ConsecutiveBreaker(config.failures);
    return new SamplingBreaker({ threshold: config.threshold, duration: config.durationMs, minimumRps: config.minimumRps });
  }
}
