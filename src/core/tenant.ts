import type { ApprovalPolicyOverrides } from './approval-policy.js';

export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export interface TenantFacets {
  industry?: string | undefined;
  companySize?: string | undefined;
}

/** The isolation boundary: every record belongs to exactly one tenant. */
export interface Tenant {
  id: string;
  name: string;
  facets: TenantFacets;
  /** Overrides of the default approval policy; absent fields use the defaults. */
  policy: ApprovalPolicyOverrides;
  createdAt: string;
}
