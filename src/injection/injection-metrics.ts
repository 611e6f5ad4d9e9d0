import type { Criticality } from '../core/injection.js';

/** What happened to one injection (or one decision), as monitoring sees it. */
export type InjectionSample =
  | { kind: 'outcome'; tenantId: string; criticality: Criticality; outcome: string; reason: string }
  | { kind: 'decision'; tenantId: string; microseconds: number };

export type InjectionSampleListener = (sample: InjectionSample) => void;

/** One tenant's figures on this instance. */
export interface TenantInjectionCounts {
  /** `<outcome>` → count, by criticality: `{ critical: { delivered: 3, failed: 1 }, … }`. */
  byCriticality: Record<string, Record<string, number>>;
  /** `<outcome>:<reason>` → count (e.g. `dropped:overflow`, `failed:deadline_exceeded`). */
  byReason: Record<string, number>;
  /** Rule evaluation per stream input, over the last 1,000 decisions. */
  decisionLatencyUs: { p50: number; p99: number };
}

const SAMPLES = 1000;

class TenantCounts {
  readonly byCriticality = new Map<string, Map<string, number>>();
  readonly byReason = new Map<string, number>();
  readonly decisions: number[] = [];
  next = 0;
}

/** Counts every injection outcome by tenant, criticality and reason, and the decision latency; told to listeners. */
export class InjectionMetrics {
  readonly #tenants = new Map<string, TenantCounts>();
  readonly #listeners = new Set<InjectionSampleListener>();

  subscribe(listener: InjectionSampleListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  outcome(tenantId: string, criticality: Criticality, outcome: string, reason: string): void {
    const counts = this.#counts(tenantId);
    let outcomes = counts.byCriticality.get(criticality);
    if (outcomes === undefined) {
      outcomes = new Map();
      counts.byCriticality.set(criticality, outcomes);
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    const key = `${outcome}:${reason}`;
    counts.byReason.set(key, (counts.byReason.get(key) ?? 0) + 1);
    this.#tell({ kind: 'outcome', tenantId, criticality, outcome, reason });
  }

  decision(tenantId: string, microseconds: number): void {
    const counts = this.#counts(tenantId);
    if (counts.decisions.length < SAMPLES) counts.decisions.push(microseconds);
    else counts.decisions[counts.next] = microseconds;
    counts.next = (counts.next + 1) % SAMPLES;
    if (this.#listeners.size > 0) this.#tell({ kind: 'decision', tenantId, microseconds });
  }

  tenant(tenantId: string): TenantInjectionCounts {
    const counts = this.#tenants.get(tenantId) ?? new TenantCounts();
    const sorted = [...counts.decisions].sort((a, b) => a - b);
    const at = (quantile: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? 0);
    return {
      byCriticality: Object.fromEntries(
        [...counts.byCriticality].map(([criticality, map]) => [criticality, Object.fromEntries(map)]),
      ),
      byReason: Object.fromEntries(counts.byReason),
      decisionLatencyUs: { p50: at(0.5), p99: at(0.99) },
    };
  }

  #counts(tenantId: string): TenantCounts {
    let counts = this.#tenants.get(tenantId);
    if (counts === undefined) {
      counts = new TenantCounts();
      this.#tenants.set(tenantId, counts);
    }
    return counts;
  }

  #tell(sample: InjectionSample): void {
    for (const listener of this.#listeners) listener(sample);
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
