import { z } from 'zod';
import { RUN_STATUSES } from '../../core/run.js';
import {
  authorSchema,
  createRunShape,
  logErrorInputSchema,
  phaseNameSchema,
  runIdSchema,
  runStatusSchema,
} from '../../runs/run-input.js';
import { isoTimestampSchema, tenantIdSchema, versionNumberSchema } from '../../validation/schemas.js';
import { jsonValue, pageQueryShape } from './common-schemas.js';

/** Requests and answers of the run routes (the library's own schemas where they exist). */
export const createRunBodySchema = z.object(createRunShape).strict();
export const runParamsSchema = z.object({ tenant: tenantIdSchema, id: runIdSchema });
export const phaseParamsSchema = runParamsSchema.extend({ phase: phaseNameSchema });

export const listRunsQuerySchema = z
  .object({ status: runStatusSchema.optional(), since: isoTimestampSchema.optional(), ...pageQueryShape })
  .strict();
export const phaseQuerySchema = z.object({ version: z.coerce.number().int().min(1).optional() }).strict();
export const phaseHistoryQuerySchema = z.object(pageQueryShape).strict();
export const patchPhaseQuerySchema = z.object({ author: authorSchema.optional() }).strict();
export const exportQuerySchema = z.object({ compression: z.enum(['true', 'false']).optional() }).strict();
export const importQuerySchema = z.object({ newId: z.enum(['true', 'false']).optional() }).strict();

export const putPhaseBodySchema = z
  .object({
    data: jsonValue.describe("The phase's data (validated against the run template's schema)"),
    author: authorSchema.optional(),
  })
  .strict();
export const currentPhaseBodySchema = z.object({ phase: phaseNameSchema }).strict();
export const statusBodySchema = z.object({ status: runStatusSchema }).strict();
export const logErrorBodySchema = logErrorInputSchema;

export const runSchema = z
  .object({
    tenantId: z.string(),
    id: z.string(),
    template: z.string().nullable(),
    phaseNames: z.array(z.string()),
    targetPath: z.string(),
    focusAreas: z.array(z.string()),
    status: z.enum(RUN_STATUSES),
    currentPhase: z.string().nullable(),
    errorLog: z.array(
      z.object({ at: z.string(), message: z.string(), phase: z.string().optional(), agent: z.string().optional() }),
    ),
    metadata: z.record(z.string(), jsonValue),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
    revision: z.number().int(),
  })
  .describe('A run (seed 001 EvolutionContext) without its phase data');

export const phaseVersionSchema = z
  .object({
    tenantId: z.string(),
    runId: z.string(),
    phase: z.string(),
    version: versionNumberSchema,
    data: jsonValue,
    contentHash: z.string(),
    sizeBytes: z.number().int(),
    author: z.string(),
    createdAt: z.string(),
  })
  .describe('One immutable version of a phase');

export const runContextSchema = runSchema
  .extend({ phases: z.record(z.string(), phaseVersionSchema.nullable()) })
  .describe('A run with the newest version of each phase (null: not written yet)');

export const phaseWriteSchema = phaseVersionSchema.extend({
  status: z.enum(['created', 'unchanged']).describe('created: a new version; unchanged: the data was already the newest version'),
});

const sourceSchema = z.object({ phase: z.string(), version: z.number().int() }).nullable();
export const comparisonSchema = z.object({
  runId: z.string(),
  before: jsonValue,
  plan: jsonValue,
  after: jsonValue,
  implementation: jsonValue,
  delta: z.record(z.string(), z.number()).describe('after − before of every metric numeric in both'),
  sources: z.object({ before: sourceSchema, plan: sourceSchema, after: sourceSchema, implementation: sourceSchema }),
});

export const runStatsSchema = z.object({
  runs: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  phaseVersions: z.number().int(),
  dataBytes: z.number().int(),
  currentDataBytes: z.number().int(),
  largestRun: z.object({ runId: z.string(), dataBytes: z.number().int() }).nullable(),
  oldestFinishedAt: z.string().nullable(),
  limits: z.object({ maxRunsPerTenant: z.number().int(), ttlSeconds: z.number().int(), compression: z.boolean() }),
});
