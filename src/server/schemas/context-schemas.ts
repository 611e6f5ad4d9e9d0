import { z } from 'zod';
import { confidenceSchema, personSchema, updateSourceSchema, versionNumberSchema } from '../../validation/schemas.js';
import { jsonValue, pageQueryShape } from './common-schemas.js';

export const contextParamsSchema = z.object({
  tenant: z.string(),
  '*': z.string().describe('The context key (slashes allowed), optionally followed by /versions, /diff or /rollback'),
});

/** PUT contexts/:key. */
export const putBodySchema = z
  .object({
    value: jsonValue,
    source: updateSourceSchema.optional(),
    confidence: confidenceSchema.optional(),
    author: personSchema.optional(),
    comment: z.string().max(2000).optional(),
  })
  .strict();

/** Who writes, for PATCH and DELETE (query parameters; the PATCH body is the merge patch itself). */
export const writeQuerySchema = z
  .object({
    source: updateSourceSchema.optional(),
    confidence: z.coerce.number().min(0).max(1).optional(),
    author: personSchema.optional(),
    comment: z.string().max(2000).optional(),
  })
  .strict();

export const rollbackBodySchema = z
  .object({
    toVersion: versionNumberSchema,
    author: personSchema.optional(),
    source: updateSourceSchema.optional(),
    comment: z.string().max(2000).optional(),
  })
  .strict();

/** GET contexts/:key, …/versions and …/diff share one wildcard route, so one query schema. */
export const readQuerySchema = z
  .object({
    version: z.coerce.number().int().min(1).optional(),
    asOf: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time, e.g. 2025-01-31T12:00:00Z' }).optional(),
    from: z.coerce.number().int().min(1).optional().describe('…/diff only'),
    to: z.coerce.number().int().min(1).optional().describe('…/diff only'),
    ...pageQueryShape,
  })
  .strict();

export const listContextsQuerySchema = z.object({ prefix: z.string().max(256).optional(), ...pageQueryShape }).strict();

export const contextVersionSchema = z.object({
  key: z.string(),
  version: z.number().int(),
  value: jsonValue,
  contentHash: z.string(),
  source: updateSourceSchema,
  author: z.string(),
  createdAt: z.string(),
  updateId: z.string(),
  parentVersion: z.number().int().nullable(),
  deleted: z.boolean().optional(),
});

export const writeAppliedSchema = z.object({
  key: z.string(),
  version: z.number().int(),
  status: z.literal('applied'),
  updateId: z.string(),
  contentHash: z.string(),
  createdAt: z.string(),
  deleted: z.boolean().optional(),
});

export const writePendingSchema = z.object({
  key: z.string(),
  status: z.literal('pending'),
  updateId: z.string(),
  flags: z.array(z.string()),
  reviewReasons: z.array(z.string()),
});

export const keySummarySchema = z.object({ key: z.string(), version: z.number().int(), updatedAt: z.string() });

export const diffSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  patch: z
    .array(z.object({ op: z.string(), path: z.string(), value: jsonValue.optional(), from: z.string().optional() }))
    .describe('RFC 6902 JSON Patch'),
});
