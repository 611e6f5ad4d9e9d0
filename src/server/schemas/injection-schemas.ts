import { z } from 'zod';
import { sessionIdSchema } from '../../assembly/session-schemas.js';
import { CRITICALITIES, SYNC_POINTS } from '../../core/injection.js';
import { PROVIDER_FORMATS } from '../../providers/provider-format.js';
import { STREAM_MODES } from '../../streaming/stream-modes.js';
import { jsonValueSchema, tenantIdSchema } from '../../validation/schemas.js';

export const streamParamsSchema = z.object({ tenant: tenantIdSchema, sessionId: sessionIdSchema });

export const putInjectionRulesSchema = z.object({
  rules: z.array(z.unknown()).max(200),
  expectedVersion: z.number().int().min(0).optional(),
});

export const injectionRulesViewSchema = z.object({
  tenantId: z.string(),
  rules: z.array(z.record(z.string(), z.unknown())),
  version: z.number().int(),
  updatedAt: z.string().nullable(),
});

const packetPart = z.record(z.string(), jsonValueSchema);

/** `POST …/streams/:sessionId/inject`: an on-demand packet. */
export const injectPacketSchema = z.strictObject({
  packet: z.strictObject({
    information: packetPart.optional(),
    strategy: packetPart.optional(),
    attention: packetPart.optional(),
    metadata: z
      .strictObject({
        priority: z.number().int().min(0).max(100).default(50),
        criticality: z.enum(CRITICALITIES).default('helpful'),
        ttlMs: z.number().int().min(1).optional(),
        deadlineMs: z.number().int().min(1).optional(),
        conditions: z.array(z.string().max(500)).max(20).optional(),
      })
      .prefault({}),
  }),
  at: z.enum(SYNC_POINTS).default('immediate'),
});

export const streamQuerySchema = z.strictObject({
  format: z.enum(PROVIDER_FORMATS).optional(),
  mode: z.enum(STREAM_MODES).optional(),
  ack: z.enum(['0', '1', 'true', 'false']).optional(),
  priorSessions: z.coerce.number().int().min(0).max(1_000_000).optional(),
});

export const injectionMessageSchema = z.object({
  type: z.literal('injection'),
  id: z.string(),
  ruleId: z.string().optional(),
  criticality: z.enum(CRITICALITIES),
  priority: z.number(),
  at: z.enum(SYNC_POINTS),
  packet: z.object({
    information: z.record(z.string(), z.unknown()).optional(),
    strategy: z.record(z.string(), z.unknown()).optional(),
    attention: z.record(z.string(), z.unknown()).optional(),
    metadata: z.looseObject({ priority: z.number(), criticality: z.enum(CRITICALITIES), source: z.string() }),
  }),
  rendered: z.unknown(),
  warnings: z.array(z.string()).optional(),
});

export const injectionStatsSchema = z.object({
  tenantId: z.string(),
  streams: z.number().int(),
  queueDepth: z.number().int(),
  breakers: z.record(z.string(), z.string()),
  degradation: z.string(),
  byCriticality: z.record(z.string(), z.record(z.string(), z.number())),
  byReason: z.record(z.string(), z.number()),
  decisionLatencyUs: z.object({ p50: z.number(), p99: z.number() }),
});
