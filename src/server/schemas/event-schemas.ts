import { z } from 'zod';
import { MAX_PAGE_LIMIT } from '../../core/page.js';
import { MAX_BATCH_REFS } from '../../events/context-gateway.js';
import { CONTEXT_REF_PATTERN } from '../../events/context-ref.js';
import { EVENT_NAME_PATTERN } from '../../events/emit-input.js';
import { tenantIdSchema } from '../../validation/schemas.js';
import { jsonValue } from './common-schemas.js';

const identifier = z.string().min(1).max(256);
const nullableIdentifier = identifier.nullable();
export const contextRefSchema = z
  .string()
  .max(128)
  .regex(CONTEXT_REF_PATTERN, 'must be a context reference: ctx_<kind>_<agent>_<24 hex digits>')
  .describe('ctx_<kind>_<agent>_<hash>');

export const eventContextSchema = z
  .object({
    eventId: z.string(),
    correlationId: z.string(),
    parentEventId: z.string().nullable(),
    rootEventId: z.string(),
    depth: z.number().int(),
    agentId: z.string().nullable(),
    clientId: z.string().nullable(),
    sessionId: z.string().nullable(),
    originator: z.string().nullable(),
    timestamp: z.string(),
    traceId: z.string(),
    spanId: z.string(),
    custom: z.record(z.string(), jsonValue),
  })
  .describe('The context of an event (seed 004)');

export const eventRecordSchema = z.object({
  ref: z.string(),
  event: z.string(),
  context: eventContextSchema,
  data: jsonValue,
});

/** An optional `tenant` for the unprefixed /v1/context/* and /api/context/* paths (open mode, admin keys). */
const tenantField = { tenant: tenantIdSchema.optional().describe('Unprefixed paths only: the tenant (else the key’s)') };

export const emitBodySchema = z
  .object({
    event: z.string().regex(EVENT_NAME_PATTERN, 'must be 1–128 letters, digits and _ . : / -').describe('e.g. agent.status'),
    data: jsonValue.optional(),
    context: z
      .object({
        eventId: identifier.optional(),
        correlationId: identifier.optional(),
        agentId: nullableIdentifier.optional(),
        clientId: nullableIdentifier.optional(),
        sessionId: nullableIdentifier.optional(),
        originator: nullableIdentifier.optional(),
        timestamp: z.string().max(64).optional(),
        custom: z.record(z.string(), jsonValue).optional(),
      })
      .strict()
      .optional(),
    parent: contextRefSchema.optional().describe('The new event becomes this context’s child'),
    durability: z.enum(['acknowledged', 'buffered']).optional().describe('Default acknowledged: 201 once stored durably'),
  })
  .strict();

export const emitResponseSchema = z.object({
  eventId: z.string(),
  ref: z.string(),
  context: eventContextSchema,
  deduplicated: z.boolean().describe('True when the identical context was already stored (a retry): the same ref'),
});

export const resolveBodySchema = z.object({ ref: contextRefSchema, ...tenantField }).strict();
export const resolveResponseSchema = z.object({ ref: z.string(), context: eventContextSchema });

export const resolveBatchBodySchema = z.object({ refs: z.array(contextRefSchema).max(MAX_BATCH_REFS), ...tenantField }).strict();
export const resolveBatchResponseSchema = z.object({ contexts: z.record(z.string(), eventContextSchema.nullable()) });

export const queryBodySchema = z
  .object({
    correlationId: identifier.optional(),
    eventId: identifier.optional(),
    agentId: identifier.optional(),
    sessionId: identifier.optional(),
    eventName: z.string().regex(EVENT_NAME_PATTERN).optional(),
    since: z.string().max(64).optional().describe('ISO-8601, inclusive'),
    until: z.string().max(64).optional().describe('ISO-8601, exclusive'),
    limit: z.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
    cursor: z.string().min(1).max(2048).optional(),
    ...tenantField,
  })
  .strict();
export const queryResponseSchema = z.object({ items: z.array(eventRecordSchema), nextCursor: z.string().optional() });

export const tenantQuerySchema = z.object(tenantField).strict();

export const statsResponseSchema = z
  .object({
    tenantId: z.string(),
    hot: z.object({ events: z.number().int(), bytes: z.number().int() }),
    cold: z.object({ events: z.number().int(), bytes: z.number().int() }),
    emitted: z.number().int(),
    deduplicated: z.number().int(),
    dedupRatio: z.number(),
    depthExceeded: z.number().int(),
    resolutions: z.object({ hot: z.number(), cold: z.number(), missing: z.number() }),
    hitRates: z.object({ hot: z.number(), cold: z.number(), missing: z.number() }),
  })
  .describe('Counts per tier, hit rates, sizes, dedup ratio');
export const eventHealthResponseSchema = z
  .object({ status: z.enum(['ok', 'degraded', 'down']) })
  .loose()
  .describe('Hot tier size, cold writer backlog, store reachability');
