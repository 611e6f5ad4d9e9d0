import type { ApprovalPolicy } from '../../core/approval-policy.js';
import type { Page, PageRequest } from '../../core/page.js';
import type { Tenant } from '../../core/tenant.js';
import { decodeStringCursor, resolvePageLimit, toPage } from '../page-request.js';
import { tenantExistsError, tenantNotFoundError } from '../store-errors.js';
import type { TenantStore } from '../tenant-store.js';

/** Tenants in a Map; every value goes in and out as a copy. */
export class MemoryTenantStore implements TenantStore {
  readonly #tenants = new Map<string, Tenant>();

  /** Synchronous existence check for the other memory stores (foreign-key behaviour). */
  has(id: string): boolean {
    return this.#tenants.has(id);
  }

  async create(tenant: Tenant): Promise<Tenant> {
    if (this.#tenants.has(tenant.id)) throw tenantExistsError(tenant.id);
    this.#tenants.set(tenant.id, structuredClone(tenant));
    return structuredClone(tenant);
  }

  async get(id: string): Promise<Tenant | undefined> {
    const tenant = this.#tenants.get(id);
    return tenant === undefined ? undefined : structuredClone(tenant);
  }

  async list(page: PageRequest): Promise<Page<Tenant>> {
    const limit = resolvePageLimit(page.limit);
    const after = page.cursor === undefined ? undefined : decodeStringCursor(page.cursor);
    const ids = [...this.#tenants.keys()].filter((id) => after === undefined || id > after).sort(compareStrings);
    const rows = ids.slice(0, limit + 1).map((id) => structuredClone(this.#tenants.get(id) as Tenant));
    return toPage(rows, limit, (tenant) => [tenant.id]);
  }

  async setPolicy(id: string, policy: Partial<ApprovalPolicy>): Promise<Tenant> {
    const tenant = this.#tenants.get(id);
    if (tenant === undefined) throw tenantNotFoundError(id);
    const updated: Tenant = { ...tenant, policy: structuredClone(policy) };
    this.#tenants.set(id, updated);
    return structuredClone(updated);
  }
}

/** Code-unit order, the same as SQLite's BINARY collation for the ASCII ids and keys the engine allows. */
export function compareStrings(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
