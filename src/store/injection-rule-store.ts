import type { JsonObject } from '../core/json.js';

/** A tenant's injection rules as stored: validated by the injection service before they get here. */
export interface InjectionRuleSet {
  tenantId: string;
  rules: JsonObject[];
  /** Grows by one on every put; 0 is never stored (it means "none yet"). */
  version: number;
  updatedAt: string;
}

/** Injection rules per tenant (seed 003), versioned with compare-and-set. Every method is scoped by tenant. */
export interface InjectionRuleStore {
  /** The tenant's rules; undefined when it never put any. */
  get(tenantId: string): Promise<InjectionRuleSet | undefined>;
  /**
   * Replaces the tenant's rules with version = previous + 1. `expectedVersion` (0 = none yet): ConflictError
   * `injection_rules_version_conflict` when the stored version differs. NotFoundError `tenant_not_found`.
   */
  put(tenantId: string, rules: JsonObject[], now: string, expectedVersion?: number | undefined): Promise<InjectionRuleSet>;
}
