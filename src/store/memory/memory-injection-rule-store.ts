import type { JsonObject } from '../../core/json.js';
import { injectionRulesVersionConflictError } from '../injection-rule-errors.js';
import type { InjectionRuleSet, InjectionRuleStore } from '../injection-rule-store.js';
import { tenantNotFoundError } from '../store-errors.js';

/** Rule sets by tenant, in a map. */
export class MemoryInjectionRuleStore implements InjectionRuleStore {
  readonly #sets = new Map<string, InjectionRuleSet>();
  readonly #tenantExists: (tenantId: string) => boolean;

  constructor(tenantExists: (tenantId: string) => boolean) {
    this.#tenantExists = tenantExists;
  }

  async get(tenantId: string): Promise<InjectionRuleSet | undefined> {
    const set = this.#sets.get(tenantId);
    return set === undefined ? undefined : structuredClone(set);
  }

  async put(tenantId: string, rules: JsonObject[], now: string, expectedVersion?: number): Promise<InjectionRuleSet> {
    if (!this.#tenantExists(tenantId)) throw tenantNotFoundError(tenantId);
    const current = this.#sets.get(tenantId)?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== current)
      throw injectionRulesVersionConflictError(expectedVersion, current);
    const set: InjectionRuleSet = { tenantId, rules: structuredClone(rules), version: current + 1, updatedAt: now };
    this.#sets.set(tenantId, set);
    return structuredClone(set);
  }
}
