/** Per-tenant counters of the router and the gateway (stats never mix tenants). */
export interface TenantEventCounters {
  emitted: number;
  deduplicated: number;
  depthExceeded: number;
  hotHits: number;
  coldHits: number;
  misses: number;
}

export class EventCounters {
  readonly #tenants = new Map<string, TenantEventCounters>();

  /** The tenant asked for last (a stream is mostly one tenant's): its counters without a map lookup. */
  #lastTenantId: string | undefined;
  #lastCounters: TenantEventCounters | undefined;

  of(tenantId: string): TenantEventCounters {
    if (tenantId === this.#lastTenantId && this.#lastCounters !== undefined) return this.#lastCounters;
    let counters = this.#tenants.get(tenantId);
    if (counters === undefined) {
      counters = { emitted: 0, deduplicated: 0, depthExceeded: 0, hotHits: 0, coldHits: 0, misses: 0 };
      this.#tenants.set(tenantId, counters);
    }
    this.#lastTenantId = tenantId;
    this.#lastCounters = counters;
    return counters;
  }

  /** Every tenant's counters added up (process health). */
  total(): TenantEventCounters {
    const total = { emitted: 0, deduplicated: 0, depthExceeded: 0, hotHits: 0, coldHits: 0, misses: 0 };
    for (const counters of this.#tenants.values()) {
      for (const key of Object.keys(total) as (keyof TenantEventCounters)[]) total[key] += counters[key];
    }
    return total;
  }
}
