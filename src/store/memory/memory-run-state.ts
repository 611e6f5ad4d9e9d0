import type { PhaseVersion, Run } from '../../core/run.js';

/** A run and its phase version lines (each line oldest first: index i holds version i + 1). */
export interface MemoryRunRecord {
  run: Run;
  phases: Map<string, PhaseVersion[]>;
}

/** Runs by tenant, then by id. */
export class MemoryRunState {
  readonly #byTenant = new Map<string, Map<string, MemoryRunRecord>>();

  runsOf(tenantId: string): Map<string, MemoryRunRecord> | undefined {
    return this.#byTenant.get(tenantId);
  }

  /** The tenant's runs, created empty when missing. */
  tenantRuns(tenantId: string): Map<string, MemoryRunRecord> {
    let runs = this.#byTenant.get(tenantId);
    if (runs === undefined) {
      runs = new Map();
      this.#byTenant.set(tenantId, runs);
    }
    return runs;
  }

  find(tenantId: string, runId: string): MemoryRunRecord | undefined {
    return this.#byTenant.get(tenantId)?.get(runId);
  }

  entries(): IterableIterator<[string, Map<string, MemoryRunRecord>]> {
    return this.#byTenant.entries();
  }
}
