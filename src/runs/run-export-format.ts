import { z } from 'zod';
import { PHASE_NAME_PATTERN, RUN_STATUSES } from '../core/run.js';
import { isoTimestampSchema, jsonValueSchema, tenantIdSchema } from '../validation/schemas.js';
import { TEMPLATE_NAME_PATTERN } from './run-template.js';

/**
 * A run export: one JSON document, gzip-compressed unless compression is off. It names its format and version, holds
 * the run row and every version of every phase, and a sha256 of the canonical JSON (RFC 8785) of everything else, so a
 * changed byte anywhere is detected even when the file was recompressed.
 */
export const RUN_EXPORT_FORMAT = 'context-engine/run-export';
export const RUN_EXPORT_FORMAT_VERSION = 1;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');
const phaseName = z.string().regex(PHASE_NAME_PATTERN);

export const exportedRunSchema = z
  .object({
    tenantId: tenantIdSchema,
    id: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/),
    template: z.string().regex(TEMPLATE_NAME_PATTERN).nullable(),
    phaseNames: z.array(phaseName).min(1),
    targetPath: z.string().min(1),
    focusAreas: z.array(z.string()),
    status: z.enum(RUN_STATUSES),
    currentPhase: phaseName.nullable(),
    errorLog: z.array(
      z
        .object({ at: isoTimestampSchema, message: z.string(), phase: phaseName.optional(), agent: z.string().optional() })
        .strict(),
    ),
    metadata: z.record(z.string(), jsonValueSchema),
    createdAt: isoTimestampSchema,
    updatedAt: isoTimestampSchema,
    finishedAt: isoTimestampSchema.nullable(),
    revision: z.number().int().min(1),
  })
  .strict();

export const exportedPhaseVersionSchema = z
  .object({
    phase: phaseName,
    version: z.number().int().min(1),
    data: jsonValueSchema,
    contentHash: sha256Hex,
    sizeBytes: z.number().int().min(0),
    author: z.string().min(1),
    createdAt: isoTimestampSchema,
  })
  .strict();

export const runExportSchema = z
  .object({
    format: z.literal(RUN_EXPORT_FORMAT),
    formatVersion: z.literal(RUN_EXPORT_FORMAT_VERSION),
    exportedAt: isoTimestampSchema,
    run: exportedRunSchema,
    phaseVersions: z.array(exportedPhaseVersionSchema),
    checksum: z.object({ algorithm: z.literal('sha256'), value: sha256Hex }).strict(),
  })
  .strict();

export type RunExport = z.output<typeof runExportSchema>;
export type ExportedPhaseVersion = z.output<typeof exportedPhaseVersionSchema>;
