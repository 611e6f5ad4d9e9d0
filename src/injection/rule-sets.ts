import type { JsonObject } from '../core/json.js';
import type { InjectionRuleSet, InjectionRuleStore } from '../store/injection-rule-store.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { parseWith } from '../validation/parse.js';
import { tenantIdSchema } from '../validation/schemas.js';
import { type CompiledRuleSet, compileRules } from './rules/compile-rules.js';

/** What `GET|PUT …/injection-rules` answer: the rules as validated, and their version (0 before the first put). */
export interface InjectionRulesView {
  tenantId: string;
  rules: JsonObject[];
  version: number;
  updatedAt: string | null;
}

export interface PutRulesInput {
  rules: unknown;
  /** Compare-and-set: the version the caller read (0 = none yet); 409 when it changed since. */
  expectedVersion?: number | undefined;
}

interface CachedSet {
  compiled: CompiledRuleSet;
  version: number;
  loadedAt: number;
}

const EMPTY = compileRules({ rules: [] });

/**
 * The tenants' injection rules: validated and compiled once per version, cached per tenant. A put here is seen at
 * once; a put through another instance within `refreshMs` (the cache re-reads the store after that long).
 */
export class RuleSets {
  readonly #store: InjectionRuleStore;
  readonly #tenants: TenantService;
  readonly #refreshMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, CachedSet>();
  readonly #loading = new Map<string, Promise<CachedSet>>();

  constructor(options: { store: InjectionRuleStore; tenants: TenantService; refreshMs: number; now?: () => number }) {
    this.#store = options.store;
    this.#tenants = options.tenants;
    this.#refreshMs = options.refreshMs;
    this.#now = options.now ?? Date.now;
  }

  async get(tenantId: string): Promise<InjectionRulesView> {
    parseWith(tenantIdSchema, tenantId, 'tenant id');
    await this.#tenants.get(tenantId);
    return toView(tenantId, await this.#store.get(tenantId));
  }

  /** Validates (ValidationError `invalid_injection_rules` naming the rule and field), stores, recompiles. */
  async put(tenantId: string, input: PutRulesInput): Promise<InjectionRulesView> {
    parseWith(tenantIdSchema, tenantId, 'tenant id');
    // Compiling validates (ValidationError `invalid_injection_rules`); each compiled rule keeps its validated source.
    const compiled = compileRules({ rules: input.rules });
    const rules = compiled.rules.map((rule) => rule.source);
    const stored = await this.#store.put(
      tenantId,
      rules as JsonObject[],
      new Date(this.#now()).toISOString(),
      input.expectedVersion,
    );
    this.#cache.set(tenantId, { compiled, version: stored.version, loadedAt: this.#now() });
    return toView(tenantId, stored);
  }

  /** The compiled rules of a tenant (an empty set when it has none), from the cache while it is fresh. */
  compiled(tenantId: string): CompiledRuleSet | Promise<CompiledRuleSet> {
    const cached = this.#cache.get(tenantId);
    if (cached !== undefined && this.#now() - cached.loadedAt < this.#refreshMs) return cached.compiled;
    return this.#load(tenantId, cached).then((entry) => entry.compiled);
  }

  #load(tenantId: string, previous: CachedSet | undefined): Promise<CachedSet> {
    const pending = this.#loading.get(tenantId);
    if (pending !== undefined) return pending;
    const load = this.#store
      .get(tenantId)
      .then((set) => {
        const entry: CachedSet =
          set === undefined
            ? { compiled: EMPTY, version: 0, loadedAt: this.#now() }
            : previous !== undefined && previous.version === set.version
              ? { ...previous, loadedAt: this.#now() }
              : { compiled: compileRules({ rules: set.rules }), version: set.version, loadedAt: this.#now() };
        this.#cache.set(tenantId, entry);
        return entry;
      })
      .finally(() => this.#loading.delete(tenantId));
    this.#loading.set(tenantId, load);
    return load;
  }
}

function toView(tenantId: string, set: InjectionRuleSet | undefined): InjectionRulesView {
  return set === undefined
    ? { tenantId, rules: [], version: 0, updatedAt: null }
    : { tenantId, rules: set.rules, version: set.version, updatedAt: set.updatedAt };
}
