import type { ApprovalPolicyOverrides } from '../core/approval-policy.js';
import type { Page, PageRequest } from '../core/page.js';
import type { Tenant } from '../core/tenant.js';

/** Tenants. `create` fails with ConflictError (code `tenant_exists`) when the id is taken. */
export interface TenantStore {
  create(tenant: Tenant): Promise<Tenant>;
  get(id: string): Promise<Tenant | undefined>;
  /** Ordered by id. */
  list(page: PageRequest): Promise<Page<Tenant>>;
  /** Replaces the tenant's policy overrides; NotFoundError when the tenant does not exist. */
  setPolicy(id: string, policy: ApprovalPolicyOverrides): Promise<Tenant>;
}
