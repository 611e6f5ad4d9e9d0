import { z } from 'zod';
import { API_KEY_ROLES } from '../core/api-key.js';
import { CONTEXT_KEY_MAX_LENGTH, CONTEXT_KEY_PATTERN } from '../core/context-key.js';
import { UPDATE_STATUSES } from '../core/context-update.js';
import type { JsonValue } from '../core/json.js';
import { TENANT_ID_PATTERN } from '../core/tenant.js';
import { UPDATE_SOURCES } from '../core/update-source.js';

/** Shared zod schemas: the library validates with them and the HTTP API publishes them as OpenAPI. */
export const tenantIdSchema = z
  .string()
  .regex(TENANT_ID_PATTERN, 'must be 1-63 characters of a-z, 0-9, _ or -, starting with a letter or digit');

export const contextKeySchema = z
  .string()
  .max(CONTEXT_KEY_MAX_LENGTH, `must be at most ${CONTEXT_KEY_MAX_LENGTH} characters`)
  .regex(CONTEXT_KEY_PATTERN, 'must be segments of A-Z, a-z, 0-9, _, . or - separated by single slashes');

export const jsonValueSchema: z.ZodType<JsonValue> = z.json() as z.ZodType<JsonValue>;

export const updateSourceSchema = z.enum(UPDATE_SOURCES);
export const updateStatusSchema = z.enum(UPDATE_STATUSES);
export const apiKeyRoleSchema = z.enum(API_KEY_ROLES);
export const versionNumberSchema = z.number().int().min(1);
export const confidenceSchema = z.number().min(0).max(1);
export const personSchema = z.string().min(1).max(200);
export const isoTimestampSchema = z.iso.datetime({ offset: true });

export const tenantFacetsSchema = z
  .object({ industry: z.string().min(1).max(100).optional(), companySize: z.string().min(1).max(100).optional() })
  .strict();

export const approvalPolicySchema = z
  .object({
    sources: z.partialRecord(updateSourceSchema, z.enum(['auto', 'review'])).optional(),
    minConfidence: confidenceSchema.optional(),
  })
  .strict();
