import { z } from 'zod';
import { isoTimestampSchema, jsonValueSchema } from '../validation/schemas.js';

/** Shared by the library (validation) and the HTTP API (validation and OpenAPI). */

const noNul = (value: string) => !value.includes('\u0000');

export const knowledgeItemIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters')
  .describe('Item id: 1-200 characters without control characters');

/** An ISO-8601 date (2025-01-31, UTC midnight) or a date-time with a zone. */
const isoDateSchema = z.union([z.iso.date(), isoTimestampSchema]);

export const knowledgeItemInputSchema = z
  .object({
    id: knowledgeItemIdSchema.optional(),
    text: z
      .string()
      .max(1_000_000)
      .refine((text) => text.trim() !== '', 'must not be empty')
      .refine(noNul, 'must not contain NUL characters'),
    metadata: z
      .record(z.string().max(200), jsonValueSchema)
      .refine((metadata) => JSON.stringify(metadata).length <= 65_536, 'must be at most 64 KiB as JSON')
      .refine((metadata) => noNul(JSON.stringify(metadata)), 'must not contain NUL characters')
      .optional(),
    milestone: z.string().min(1).max(100).refine(noNul, 'must not contain NUL characters').optional(),
    createdAt: isoDateSchema.optional(),
  })
  .strict();

export const addKnowledgeBodySchema = z.object({ items: z.array(knowledgeItemInputSchema).min(1) }).strict();

export const filterScalarSchema = z.union([
  z.string().max(1000).refine(noNul, 'must not contain NUL characters'),
  z.number(),
  z.boolean(),
]);
const rangeBoundSchema = z.union([z.number(), z.string().max(100)]);

export const filterConditionSchema = z.union([
  filterScalarSchema,
  z
    .object({
      eq: filterScalarSchema.optional(),
      in: z.array(filterScalarSchema).min(1).max(100).optional(),
      gt: rangeBoundSchema.optional(),
      gte: rangeBoundSchema.optional(),
      lt: rangeBoundSchema.optional(),
      lte: rangeBoundSchema.optional(),
    })
    .strict()
    .refine((condition) => Object.values(condition).some((value) => value !== undefined), 'needs at least one operator'),
]);

/** Metadata keys a filter may name (plus `milestone` and `createdAt`, the item's own fields). */
export const FILTER_KEY_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

export const knowledgeFilterSchema = z
  .record(
    z.string().regex(FILTER_KEY_PATTERN, 'filter keys are 1-100 characters of A-Z, a-z, 0-9, _, . or -'),
    filterConditionSchema,
  )
  .refine((filter) => Object.keys(filter).length <= 20, 'at most 20 fields');

export const knowledgeSearchInputSchema = z
  .object({
    query: z.string().min(1).max(10_000).refine(noNul, 'must not contain NUL characters'),
    topK: z.number().int().min(1).max(200).optional(),
    threshold: z.number().min(0).max(1).optional(),
    filter: knowledgeFilterSchema.optional(),
    mode: z.enum(['hybrid', 'lexical', 'vector']).optional(),
  })
  .strict();

export const knowledgeSearchResultSchema = z.object({
  id: z.string(),
  chunkId: z.string().optional(),
  text: z.string(),
  score: z.number(),
  metadata: z.record(z.string(), z.unknown()),
  tokens: z.number().int(),
  tokenCounts: z.object({ o200k_base: z.number().int(), cl100k_base: z.number().int() }),
  createdAt: z.string(),
  milestone: z.string().optional(),
});

export const knowledgeSearchResponseSchema = z.object({ results: z.array(knowledgeSearchResultSchema) });

export const knowledgeAddResponseSchema = z.object({
  items: z.array(z.object({ id: z.string(), chunks: z.number().int(), tokens: z.number().int() })),
  generation: z.number().int(),
});

export const knowledgeRemoveResponseSchema = z.object({
  id: z.string(),
  removed: z.number().int(),
  generation: z.number().int(),
});
