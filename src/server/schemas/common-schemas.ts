import { z } from 'zod';
import { MAX_PAGE_LIMIT } from '../../core/page.js';
import { tenantIdSchema } from '../../validation/schemas.js';

/** RFC 9457 problem document (every error answer). */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string().describe('Stable machine-readable error code'),
  })
  .loose()
  .describe('RFC 9457 problem details (application/problem+json)');

/** The usual error answers, for the OpenAPI document. */
export const problemResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  429: problemSchema,
} as const;

export const tenantParamsSchema = z.object({ tenant: tenantIdSchema });

/** `?cursor=&limit=`; limits above the maximum are refused, not silently capped. */
export const pageQueryShape = {
  cursor: z.string().min(1).max(2048).optional().describe('Opaque: the nextCursor of a previous page'),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
};

export const jsonValue = z.unknown().describe('Any JSON value');

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().optional() });
}
