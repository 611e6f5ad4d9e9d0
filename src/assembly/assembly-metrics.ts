import type { LayerTokens } from '../core/assembly.js';
import { LruMap } from './lru-map.js';

/** One assembly as metrics see it. */
export interface AssemblySample {
  tenantId: string;
  cached: boolean;
  durationMs: number;
  tokens: LayerTokens;
}

export interface ContextMetrics {
  assemblies: number;
  cacheHits: number;
  cacheMisses: number;
  /** cacheHits / assemblies (0 before the first). */
  cacheHitRate: number;
  /** Mean tokens per assembly, per layer (seed 002's ContextMetrics). */
  averageTokens: LayerTokens;
  /** Over the last 1,000 assemblies of this instance. */
  latencyMs: { p50: number; p99: number; mean: number };
}

const SAMPLES = 1000;

class TenantMetrics {
  assemblies = 0;
  cacheHits = 0;
  tokens: LayerTokens = { session: 0, journey: 0, knowledge: 0, documents: 0, total: 0 };
  durations: number[] = [];
  next = 0;

  add(sample: AssemblySample): void {
    this.assemblies += 1;
    if (sample.cached) this.cacheHits += 1;
    for (const layer of Object.keys(this.tokens) as Array<keyof LayerTokens>) this.tokens[layer] += sample.tokens[layer];
    if (this.durations.length < SAMPLES) this.durations.push(sample.durationMs);
    else this.durations[this.next] = sample.durationMs;
    this.next = (this.next + 1) % SAMPLES;
  }

  view(): ContextMetrics {
    const sorted = [...this.durations].sort((left, right) => left - right);
    const at = (quantile: number) => sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? 0;
    const per = (value: number) => (this.assemblies === 0 ? 0 : Math.round((value / this.assemblies) * 10) / 10);
    return {
      assemblies: this.assemblies,
      cacheHits: this.cacheHits,
      cacheMisses: this.assemblies - this.cacheHits,
      cacheHitRate: this.assemblies === 0 ? 0 : this.cacheHits / this.assemblies,
      averageTokens: {
        session: per(this.tokens.session),
        journey: per(this.tokens.journey),
        knowledge: per(this.tokens.knowledge),
        documents: per(this.tokens.documents),
        total: per(this.tokens.total),
      },
      latencyMs: {
        p50: round(at(0.5)),
        p99: round(at(0.99)),
        mean: round(sorted.length === 0 ? 0 : sorted.reduce((sum, value) => sum + value, 0) / sorted.length),
      },
    };
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Assembly metrics of this process: per tenant (for GET …/metrics/context) and listeners (Prometheus). */
export class AssemblyMetrics {
  readonly #tenants = new LruMap<string, TenantMetrics>(10_000);
  readonly #listeners = new Set<(sample: AssemblySample) => void>();

  record(sample: AssemblySample): void {
    let tenant = this.#tenants.get(sample.tenantId);
    if (tenant === undefined) {
      tenant = new TenantMetrics();
      this.#tenants.set(sample.tenantId, tenant);
    }
    tenant.add(sample);
    for (const listener of this.#listeners) {
      try {
        listener(sample);
      } catch {
        // a failing listener never fails an assembly
      }
    }
  }

  of(tenantId: string): ContextMetrics {
    return (this.#tenants.get(tenantId) ?? new TenantMetrics()).view();
  }

  /** Calls `listener` after every assembly; returns the unsubscribe function. */
  subscribe(listener: (sample: AssemblySample) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
