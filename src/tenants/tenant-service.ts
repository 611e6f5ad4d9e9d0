import { z } from 'zod';
import type { ApprovalPolicy, ApprovalPolicyOverrides } from '../core/approval-policy.js';
import type { Page, PageRequest } from '../core/page.js';
import type { Tenant } from '../core/tenant.js';
import type { EventBus } from '../events/event-bus.js';
import { tenantNotFoundError } from '../store/store-errors.js';
import type { TenantStore } from '../store/tenant-store.js';
import { effectivePolicy } from '../updates/approval-decision.js';
import { parseWith } from '../validation/parse.js';
import { approvalPolicySchema, tenantFacetsSchema, tenantIdSchema } from '../validation/schemas.js';

export const createTenantInputSchema = z
  .object({
    id: tenantIdSchema,
    name: z.string().min(1).max(200).optional(),
    facets: tenantFacetsSchema.optional(),
    policy: approvalPolicySchema.optional(),
  })
  .strict();
export type CreateTenantInput = z.input<typeof createTenantInputSchema>;

export interface TenantService {
  /** ConflictError `tenant_exists` when the id is taken. */
  create(input: CreateTenantInput): Promise<Tenant>;
  /** NotFoundError `tenant_not_found` when it does not exist. */
  get(id: string): Promise<Tenant>;
  list(page?: PageRequest): Promise<Page<Tenant>>;
  setPolicy(id: string, policy: ApprovalPolicyOverrides): Promise<Tenant>;
  /** The approval policy in force for a tenant. */
  policyOf(id: string): Promise<ApprovalPolicy>;
  /** Throws NotFoundError unless the tenant exists (existence is cached: tenants are never deleted). */
  require(id: string): Promise<void>;
}

export function createTenantService(store: TenantStore, bus: EventBus, defaults: ApprovalPolicy): TenantService {
  const known = new Map<string, Tenant>();

  async function get(id: string): Promise<Tenant> {
    const cached = known.get(id);
    if (cached) return cached;
    const tenant = await store.get(id);
    if (!tenant) throw tenantNotFoundError(id);
    known.set(id, tenant);
    return tenant;
  }

  return {
    async create(input) {
      const parsed = parseWith(createTenantInputSchema, input, 'tenant');
      const tenant = await store.create({
        id: parsed.id,
        name: parsed.name ?? parsed.id,
        facets: parsed.facets ?? {},
        policy: parsed.policy ?? {},
        createdAt: new Date().toISOString(),
      });
      known.set(tenant.id, tenant);
      bus.emit('tenant.created', { tenant });
      return tenant;
    },
    get,
    list(page = {}) {
      return store.list(page);
    },
    async setPolicy(id, policy) {
      const parsed = parseWith(approvalPolicySchema, policy, 'approval policy');
      const tenant = await store.setPolicy(id, parsed);
      known.set(id, tenant);
      return tenant;
    },
    async policyOf(id) {
      // Read through the store: another process may have changed the policy.
      const tenant = await store.get(id);
      if (!tenant) throw tenantNotFoundError(id);
      return effectivePolicy(tenant.policy, defaults);
    },
    async require(id) {
      await get(id);
    },
  };
}
