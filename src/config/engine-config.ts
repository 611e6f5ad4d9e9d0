import { z } from 'zod';
import { assemblyConfigSchema } from '../assembly/assembly-config.js';
import { DEFAULT_APPROVAL_POLICY } from '../core/approval-policy.js';
import { eventsConfigSchema } from '../events/events-config.js';
import { injectionConfigSchema } from '../injection/injection-config.js';
import { knowledgeConfigSchema } from '../knowledge/knowledge-config.js';
import { runsConfigSchema } from '../runs/runs-config.js';
import { approvalPolicySchema } from '../validation/schemas.js';

const databaseUrlSchema = z
  .string()
  .refine((url) => url === 'memory:' || url.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(url), {
    message: 'must be "memory:", "sqlite:<path>" or "postgres://…"',
  });

/** The engine's configuration: every field has a default (DESIGN.md section 5). */
export const engineConfigSchema = z
  .object({
    databaseUrl: databaseUrlSchema.default('sqlite:./data/context.db'),
    redisUrl: z.string().url().optional(),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** Largest request body accepted; default: room for a maximal value plus its envelope. */
        bodyLimitBytes: z.number().int().min(1024).optional(),
        rateLimit: z
          .object({ max: z.number().int().min(1).default(1200), windowMs: z.number().int().min(1).default(60_000) })
          .strict()
          .default({ max: 1200, windowMs: 60_000 }),
        /** Extra Host names accepted in open mode (loopback names are always accepted). */
        allowedHosts: z.array(z.string()).default([]),
        /** Browser origins (`https://app.example.com`) allowed to open WebSocket streams besides same-origin ones. */
        allowedOrigins: z.array(z.string().url()).default([]),
        logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        maxValueBytes: z
          .number()
          .int()
          .min(1)
          .default(1024 * 1024),
      })
      .strict()
      .prefault({}),
    /** The engine-wide approval policy; tenants may override it. */
    approval: approvalPolicySchema.optional(),
    /** Layered assembly (seed 002): budget, weights, session limits, recency, knowledge retrieval, cache. */
    assembly: assemblyConfigSchema.prefault({}),
    /** Event contexts (seed 004): hot tier, cold-write window, depth limit, checkpoints. */
    events: eventsConfigSchema.prefault({}),
    /** Runs (seed 001): limits, TTL, export compression. */
    runs: runsConfigSchema.prefault({}),
    /** Knowledge (seed 002): embedder, chunking, search defaults. */
    knowledge: knowledgeConfigSchema.prefault({}),
    /** Injection (seed 003): streams, buffers, delivery resilience, conversation tracking. */
    injection: injectionConfigSchema.prefault({}),
  })
  .strict();

export type EngineConfigInput = z.input<typeof engineConfigSchema>;
export type EngineConfig = Readonly<z.output<typeof engineConfigSchema>>;

export const DEFAULT_POLICY = DEFAULT_APPROVAL_POLICY;
