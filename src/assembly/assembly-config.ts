import { z } from 'zod';

const weight = z.number().min(0).max(1);

/** Layer weights: non-negative, at least one positive; they are normalised to sum 1. */
export const layerWeightsSchema = z
  .object({ session: weight, journey: weight, knowledge: weight })
  .strict()
  .refine((weights) => weights.session + weights.journey + weights.knowledge > 0, {
    message: 'at least one weight must be positive',
  });

/** The `assembly` section of the engine configuration (seed 002's defaults; DESIGN.md section 5). */
export const assemblyConfigSchema = z
  .object({
    /** Tokens of an assembly when the request names no budget. */
    defaultBudget: z.number().int().min(1).max(1_000_000).default(4000),
    weights: layerWeightsSchema.default({ session: 0.2, journey: 0.5, knowledge: 0.3 }),
    session: z
      .object({
        maxMessages: z.number().int().min(1).max(1000).default(10),
        maxTokens: z.number().int().min(1).max(1_000_000).default(800),
        /** Sliding: a session expires this long after its last message. */
        ttlSeconds: z.number().int().min(1).default(3600),
        /** How often this instance forgets sessions expired for over an hour (0: never; Redis expires them itself). */
        purgeEveryMs: z.number().int().min(0).default(600_000),
      })
      .strict()
      .prefault({}),
    recency: z
      .object({
        /** Items younger than this weigh `factor` times more. */
        windowHours: z.number().min(0).default(24),
        factor: z.number().min(1).max(100).default(2),
      })
      .strict()
      .prefault({}),
    knowledge: z
      .object({
        topK: z.number().int().min(1).max(200).default(10),
        threshold: z.number().min(0).max(1).default(0.7),
      })
      .strict()
      .prefault({}),
    cache: z
      .object({
        /** Assembled context is cached this long at most (0: no cache). */
        ttlSeconds: z.number().int().min(0).max(3600).default(300),
        /** Entries the in-process cache holds. */
        maxEntries: z.number().int().min(1).default(1000),
      })
      .strict()
      .prefault({}),
    /** Assembly records older than this are purged (0: kept). */
    retentionDays: z.number().int().min(0).default(30),
  })
  .strict();

export type AssemblyConfig = z.output<typeof assemblyConfigSchema>;
