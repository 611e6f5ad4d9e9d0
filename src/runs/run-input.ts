import { z } from 'zod';
import { MAX_PAGE_LIMIT } from '../core/page.js';
import { PHASE_NAME_PATTERN, RUN_STATUSES } from '../core/run.js';
import { isoTimestampSchema, jsonValueSchema, personSchema, tenantIdSchema, versionNumberSchema } from '../validation/schemas.js';
import { MAX_PHASES, TEMPLATE_NAME_PATTERN } from './run-template.js';

/** Shared zod schemas of the run API: the library validates with them and the HTTP API publishes them. */
const noNul = (value: string) => !value.includes('\u0000');
const plainText = (max: number) => z.string().min(1).max(max).refine(noNul, 'must not contain NUL characters');

export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;
export const runIdSchema = z.string().regex(RUN_ID_PATTERN, 'must be 1-100 characters of A-Z, a-z, 0-9, _ or -');
export const phaseNameSchema = z
  .string()
  .regex(PHASE_NAME_PATTERN, 'must be 1-63 characters of a-z, 0-9 and _, starting with a letter');
export const templateNameSchema = z
  .string()
  .regex(TEMPLATE_NAME_PATTERN, 'must be 1-63 characters of a-z, 0-9, _ or -, starting with a letter');
export const runStatusSchema = z.enum(RUN_STATUSES);
export const authorSchema = personSchema.refine(noNul, 'must not contain NUL characters');

export const createRunShape = {
  targetPath: plainText(1024).describe('The project (or thing) the pipeline works on'),
  focusAreas: z.array(plainText(200)).max(50).default([]),
  template: templateNameSchema.optional().describe('Phase template (default "evolution"); with `phases`, a subset of it'),
  phases: z
    .array(phaseNameSchema)
    .min(1)
    .max(MAX_PHASES)
    .refine((names) => new Set(names).size === names.length, 'must not repeat a phase')
    .optional()
    .describe('Ad-hoc phases (any JSON data), or a subset of the template'),
  metadata: z.record(z.string().min(1).max(200), jsonValueSchema).optional(),
};

export const createRunInputSchema = z.object({ tenantId: tenantIdSchema, ...createRunShape }).strict();
export type CreateRunInput = z.input<typeof createRunInputSchema>;

export const listRunsQuerySchema = z
  .object({
    status: runStatusSchema.optional(),
    since: isoTimestampSchema.optional().describe('Runs created at or after this instant'),
    cursor: z.string().min(1).max(2048).optional(),
    limit: z.number().int().min(1).max(MAX_PAGE_LIMIT).optional(),
  })
  .strict();
export type ListRunsQuery = z.input<typeof listRunsQuerySchema>;

export const logErrorInputSchema = z
  .object({ message: plainText(4000), phase: phaseNameSchema.optional(), agent: authorSchema.optional() })
  .strict();
export type LogErrorInput = z.input<typeof logErrorInputSchema>;

export const phaseWriteOptionsSchema = z
  .object({
    author: authorSchema.optional(),
    /** Strict precondition: the phase's newest version must be this (null: not written yet). */
    expectedVersion: versionNumberSchema.nullable().optional(),
  })
  .strict();
export type PhaseWriteOptions = z.input<typeof phaseWriteOptionsSchema>;

/** At most this many entries are kept in a run's error log (the oldest are dropped). */
export const MAX_ERROR_LOG_ENTRIES = 1000;
