import { z } from 'zod';
import { milestoneIdSchema, userIdSchema } from '../../assembly/journey-schemas.js';
import { sessionIdSchema } from '../../assembly/session-schemas.js';
import { tenantIdSchema } from '../../validation/schemas.js';

export const sessionParamsSchema = z.object({ tenant: tenantIdSchema, sessionId: sessionIdSchema });
export const userParamsSchema = z.object({ tenant: tenantIdSchema, userId: userIdSchema });
export const milestoneParamsSchema = z.object({ tenant: tenantIdSchema, userId: userIdSchema, milestone: milestoneIdSchema });
export const assemblyParamsSchema = z.object({ tenant: tenantIdSchema, id: z.string().min(1).max(200) });

const tokenCounts = z.object({ o200k_base: z.number().int(), cl100k_base: z.number().int() });
const layerTokens = z.object({
  session: z.number().int(),
  journey: z.number().int(),
  knowledge: z.number().int(),
  documents: z.number().int(),
  total: z.number().int(),
});

export const sessionStateSchema = z.object({
  tenantId: z.string(),
  sessionId: z.string(),
  messages: z.array(
    z.object({
      id: z.string(),
      role: z.string(),
      content: z.string(),
      metadata: z.record(z.string(), z.unknown()),
      tokens: tokenCounts,
      createdAt: z.string(),
    }),
  ),
  generation: z.number().int(),
  expiresAt: z.string(),
});

const milestoneOut = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  dependsOn: z.array(z.string()),
});
export const journeyGraphSchema = z.object({
  tenantId: z.string(),
  milestones: z.array(milestoneOut),
  version: z.number().int(),
  updatedAt: z.string(),
});

const completionSchema = z.object({
  tenantId: z.string(),
  userId: z.string(),
  milestone: z.string(),
  data: z.record(z.string(), z.unknown()),
  keyDecisions: z.array(z.string()),
  tokens: tokenCounts,
  revision: z.number().int(),
  completedAt: z.string(),
});

export const transitionSchema = z.object({
  completed: z.string(),
  next: z.string().nullable(),
  available: z.array(z.string()),
  context: z.record(z.string(), z.object({ completedAt: z.string(), keyDecisions: z.array(z.string()), data: z.unknown() })),
  completion: completionSchema,
});

export const userJourneySchema = z.object({
  tenantId: z.string(),
  userId: z.string(),
  graphVersion: z.number().int(),
  milestones: z.array(
    milestoneOut.omit({ description: true }).extend({
      status: z.enum(['completed', 'available', 'locked']),
      completedAt: z.string().optional(),
      keyDecisions: z.array(z.string()).optional(),
      data: z.unknown().optional(),
    }),
  ),
  current: z.string().nullable(),
  completed: z.number().int(),
  total: z.number().int(),
  percent: z.number(),
  generation: z.number().int(),
});

const manifestEntry = z.object({
  layer: z.enum(['documents', 'session', 'journey', 'knowledge']),
  id: z.string(),
  version: z.number().int().optional(),
  tokens: z.number().int(),
  score: z.number(),
  recencyWeight: z.number(),
  included: z.boolean(),
  reason: z
    .string()
    .describe(
      'named_document, selected, redistributed, over_budget, over_budget_after_render, layer_weight_zero, not_found, deleted',
    ),
  createdAt: z.string().optional(),
  contentHash: z.string().optional(),
});

const packetSchema = z.object({
  information: z.object({
    documents: z.array(z.unknown()),
    session: z.array(z.unknown()),
    journey: z.array(z.unknown()),
    knowledge: z.array(z.unknown()),
  }),
  strategy: z.unknown(),
  attention: z.unknown(),
  metadata: z.record(z.string(), z.unknown()),
});

export const assemblyResultSchema = z.object({
  assemblyId: z.string(),
  packet: packetSchema,
  text: z.string(),
  tokens: layerTokens,
  manifest: z.array(manifestEntry),
  cached: z.boolean(),
});

export const assemblyRecordSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  createdAt: z.string(),
  request: z.object({
    query: z.string(),
    userId: z.string().optional(),
    sessionId: z.string().optional(),
    milestone: z.string().optional(),
    documents: z.array(z.string()),
    budget: z.number().int(),
    weights: z.object({ session: z.number(), journey: z.number(), knowledge: z.number() }),
    model: z.string().optional(),
  }),
  encoding: z.string(),
  effectiveBudget: z.number().int(),
  tokens: layerTokens,
  manifest: z.array(manifestEntry),
  packet: z.object({ strategy: z.unknown(), attention: z.unknown(), metadata: z.unknown() }),
  textHash: z.string(),
  rendererVersion: z.number().int(),
  knowledgeScores: z
    .record(z.string(), z.number())
    .optional()
    .describe("Each included knowledge item's search score, by its snapshot's content hash"),
});

export const replayResultSchema = z.object({
  assemblyId: z.string(),
  text: z.string(),
  packet: packetSchema,
  tokens: layerTokens,
  identical: z.boolean(),
  textHash: z.string(),
});

export const contextMetricsSchema = z.object({
  assemblies: z.number().int(),
  cacheHits: z.number().int(),
  cacheMisses: z.number().int(),
  cacheHitRate: z.number(),
  averageTokens: z.object({
    session: z.number(),
    journey: z.number(),
    knowledge: z.number(),
    documents: z.number(),
    total: z.number(),
  }),
  latencyMs: z.object({ p50: z.number(), p99: z.number(), mean: z.number() }),
});
