import { z } from 'zod';
import { approveInputSchema, rejectInputSchema } from '../../updates/propose-input.js';
import {
  confidenceSchema,
  contextKeySchema,
  personSchema,
  updateSourceSchema,
  updateStatusSchema,
  versionNumberSchema,
} from '../../validation/schemas.js';
import { jsonValue, pageQueryShape } from './common-schemas.js';

/** POST updates: a proposal (the library's ProposeInput without tenantId, which comes from the path). */
export const proposeBodySchema = z
  .object({
    key: contextKeySchema,
    op: z.enum(['put', 'patch', 'delete', 'rollback']),
    value: jsonValue.optional().describe('For op "put": the full value'),
    patch: jsonValue.optional().describe('For op "patch": an RFC 7386 merge patch'),
    toVersion: versionNumberSchema.optional().describe('For op "rollback"'),
    source: updateSourceSchema.optional(),
    confidence: confidenceSchema.optional(),
    baseVersion: versionNumberSchema.nullable().optional().describe('The version you saw (null: must not exist yet)'),
    expectedVersion: versionNumberSchema.nullable().optional().describe('Strict precondition checked now (412 on mismatch)'),
    author: personSchema.optional(),
    comment: z.string().max(2000).optional(),
  })
  .strict();

export const approveBodySchema = approveInputSchema;
export const rejectBodySchema = rejectInputSchema;

export const updateParamsSchema = z.object({ tenant: z.string(), id: z.string().min(1).max(200) });

export const listUpdatesQuerySchema = z
  .object({ status: updateStatusSchema.optional(), key: contextKeySchema.optional(), ...pageQueryShape })
  .strict();

export const contextUpdateSchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    key: z.string(),
    op: z.enum(['put', 'patch', 'delete', 'rollback']),
    value: jsonValue.optional(),
    patch: jsonValue.optional(),
    toVersion: z.number().optional(),
    source: updateSourceSchema,
    confidence: z.number().optional(),
    baseVersion: z.number().nullable().optional(),
    author: z.string(),
    comment: z.string().optional(),
    status: updateStatusSchema,
    flags: z.array(z.string()),
    reviewReasons: z.array(z.string()),
    contentHash: z.string(),
    createdAt: z.string(),
    reviewedBy: z.string().optional(),
    reviewedAt: z.string().optional(),
    reviewNote: z.string().optional(),
    appliedVersion: z.number().optional(),
    reason: z.string().optional(),
  })
  .describe('A proposed change and what became of it');

export const versionSummarySchema = z.object({
  key: z.string(),
  version: z.number().int(),
  contentHash: z.string(),
  createdAt: z.string(),
  deleted: z.boolean(),
});

/** The answer to propose/approve: 201 applied, 200 unchanged, 202 pending. */
export const updateResultSchema = z.object({
  status: z.enum(['applied', 'unchanged', 'pending', 'rejected']),
  update: contextUpdateSchema,
  version: versionSummarySchema.optional(),
});
