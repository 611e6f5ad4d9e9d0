import { z } from 'zod';
import {
  confidenceSchema,
  contextKeySchema,
  jsonValueSchema,
  personSchema,
  tenantIdSchema,
  updateSourceSchema,
  versionNumberSchema,
} from '../validation/schemas.js';

/** The input of `updates.propose`: one proposed change to one context document. */
export const proposeInputSchema = z
  .object({
    tenantId: tenantIdSchema,
    key: contextKeySchema,
    op: z.enum(['put', 'patch', 'delete', 'rollback']),
    value: jsonValueSchema.optional(),
    patch: jsonValueSchema.optional(),
    toVersion: versionNumberSchema.optional(),
    source: updateSourceSchema.default('api'),
    confidence: confidenceSchema.optional(),
    /** The version the proposer saw (null: "must not exist yet"). A patch whose base moved is re-applied on the current value; any other op becomes `conflicted`. */
    baseVersion: versionNumberSchema.nullable().optional(),
    /** A strict precondition checked now (HTTP `If-Match` / `If-None-Match: *`): a mismatch fails with 412 and stores nothing. */
    expectedVersion: versionNumberSchema.nullable().optional(),
    author: personSchema.default('anonymous'),
    comment: z.string().max(2000).optional(),
  })
  .strict()
  .superRefine((input, context) => {
    const need = { put: 'value', patch: 'patch', rollback: 'toVersion', delete: undefined }[input.op];
    for (const field of ['value', 'patch', 'toVersion'] as const) {
      if (field === need && input[field] === undefined) {
        context.addIssue({ code: 'custom', path: [field], message: `is required for op "${input.op}"` });
      } else if (field !== need && input[field] !== undefined) {
        context.addIssue({ code: 'custom', path: [field], message: `is not allowed for op "${input.op}"` });
      }
    }
  });

export type ProposeInput = z.input<typeof proposeInputSchema>;
export type ParsedProposeInput = z.output<typeof proposeInputSchema>;

export const approveInputSchema = z
  .object({
    by: personSchema,
    note: z.string().max(2000).optional(),
    expectedContentHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest')
      .optional(),
  })
  .strict();
export type ApproveInput = z.input<typeof approveInputSchema>;

export const rejectInputSchema = z.object({ by: personSchema, reason: z.string().min(1).max(2000) }).strict();
export type RejectInput = z.input<typeof rejectInputSchema>;
