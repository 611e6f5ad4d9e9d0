import { z } from 'zod';
import { createTenantInputSchema } from '../../tenants/tenant-service.js';
import { approvalPolicySchema } from '../../validation/schemas.js';

export const createTenantBodySchema = createTenantInputSchema;
export const policyBodySchema = approvalPolicySchema;

export const tenantSchema = z.object({
  id: z.string(),
  name: z.string(),
  facets: z.object({ industry: z.string().optional(), companySize: z.string().optional() }),
  policy: approvalPolicySchema,
  createdAt: z.string(),
});
