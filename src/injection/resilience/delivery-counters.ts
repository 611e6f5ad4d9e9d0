import { CRITICALITIES, type Criticality } from '../../core/injection.js';
import type { BreakerState } from './breaker-registry.js';

/** An outcome as counted: the injection outcomes plus the delivery-only `requeue` and `retrying`. */
export type CountedOutcome = string;

/** One counter of the snapshot. */
export interface OutcomeCount {
  criticality: Criticality;
  outcome: CountedOutcome;
  /** `''` when the outcome has no reason (a plain delivery). */
  reason: string;
  count: number;
}

/** What monitoring reads (plain numbers; the integration turns them into Prometheus series). */
export interface DeliveryCountersSnapshot {
  outcomes: OutcomeCount[];
  /** Retries (attempts after the first) by criticality. */
  retries: Record<Criticality, number>;
  /** Sink calls made, by criticality (first attempts, retries and fallback attempts). */
  attempts: Record<Criticality, number>;
  /** Breaker state changes, by sink and new state. */
  breakerTransitions: Array<{ sinkId: string; state: BreakerState; count: number }>;
}

/** Distinct (criticality, outcome, reason) keys kept before new ones fold into reason `other`. */
const MAX_KEYS = 512;

const zeroByCriticality = (): Record<Criticality, number> =>
  Object.fromEntries(CRITICALITIES.map((criticality) => [criticality, 0])) as Record<Criticality, number>;

/**
 * Every delivery outcome by criticality × outcome × reason, plus retries, attempts and breaker
 * transitions. Bounded: at most 512 outcome keys (reasons carry sink messages, so their variety is
 * capped) and one transition key per sink and state.
 */
export class DeliveryCounters {
  readonly #outcomes = new Map<string, OutcomeCount>();
  readonly #transitions = new Map<string, { sinkId: string; state: BreakerState; count: number }>();
  readonly #retries = zeroByCriticality();
  readonly #attempts = zeroByCriticality();

  count(criticality: Criticality, outcome: CountedOutcome, reason = ''): void {
    let key = `${criticality}\u0000${outcome}\u0000${reason}`;
    let entry = this.#outcomes.get(key);
    if (entry === undefined && this.#outcomes.size >= MAX_KEYS) {
      key = `${criticality}\u0000${outcome}\u0000other`;
      entry = this.#outcomes.get(key);
      reason = 'other';
    }
    if (entry === undefined) this.#outcomes.set(key, { criticality, outcome, reason, count: 1 });
    else entry.count++;
  }

  retry(criticality: Criticality): void {
    this.#retries[criticality]++;
  }

  attempt(criticality: Criticality): void {
    this.#attempts[criticality]++;
  }

  breakerChanged(sinkId: string, state: BreakerState): void {
    const key = `${sinkId}\u0000${state}`;
    const entry = this.#transitions.get(key);
    if (entry === undefined) this.#transitions.set(key, { sinkId, state, count: 1 });
    else entry.count++;
  }

  /** The sum of the outcome counters matching every given field. */
  total(match: Partial<Pick<OutcomeCount, 'criticality' | 'outcome' | 'reason'>> = {}): number {
    let sum = 0;
    for (const entry of this.#outcomes.values()) {
      if (match.criticality !== undefined && entry.criticality !== match.criticality) continue;
      if (match.outcome !== undefined && entry.outcome !== match.outcome) continue;
      if (match.reason !== undefined && entry.reason !== match.reason) continue;
      sum += entry.count;
    }
    return sum;
  }

  snapshot(): DeliveryCountersSnapshot {
    return {
      outcomes: [...this.#outcomes.values()].map((entry) => ({ ...entry })),
      retries: { ...this.#retries },
      attempts: { ...this.#attempts },
      breakerTransitions: [...this.#transitions.values()].map((entry) => ({ ...entry })),
    };
  }
}
