import { z } from 'zod';
import type { ContextUpdate } from '../core/context-update.js';
import type { ContextVersion } from '../core/context-version.js';
import type { Tenant } from '../core/tenant.js';
import {
  approvalPolicySchema,
  confidenceSchema,
  contextKeySchema,
  isoTimestampSchema,
  jsonValueSchema,
  personSchema,
  tenantFacetsSchema,
  tenantIdSchema,
  updateSourceSchema,
  updateStatusSchema,
  versionNumberSchema,
} from '../validation/schemas.js';

/**
 * A tenant export is JSON Lines: one header, every version of every key (key then version order, tombstones
 * included), every update record (createdAt then id order), and a footer whose sha256 covers the bytes of
 * every line before it (each line with its trailing `\n`).
 */
export const EXPORT_FORMAT = 'context-engine/tenant-export';
export const EXPORT_FORMAT_VERSION = 1;

const sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, 'must be a sha256 hex digest');
const CONTENT_FLAGS = [
  'prompt_injection',
  'zero_width_characters',
  'bidi_control_characters',
  'unicode_tag_characters',
  'hidden_html',
  'hidden_markdown',
  'base64_blob',
] as const;

const tenantSchema = z
  .object({
    id: tenantIdSchema,
    name: z.string().min(1).max(200),
    facets: tenantFacetsSchema,
    policy: approvalPolicySchema,
    createdAt: isoTimestampSchema,
  })
  .strict();

export const headerLineSchema = z
  .object({
    type: z.literal('header'),
    format: z.literal(EXPORT_FORMAT),
    formatVersion: z.literal(EXPORT_FORMAT_VERSION),
    tenant: tenantSchema,
    exportedAt: isoTimestampSchema,
  })
  .strict();

export const versionLineSchema = z
  .object({
    type: z.literal('version'),
    tenantId: tenantIdSchema,
    key: contextKeySchema,
    version: versionNumberSchema,
    value: jsonValueSchema,
    deleted: z.boolean(),
    contentHash: sha256HexSchema,
    source: updateSourceSchema,
    author: personSchema,
    createdAt: isoTimestampSchema,
    parentVersion: versionNumberSchema.nullable(),
    updateId: z.string().min(1).max(200),
  })
  .strict();

export const updateLineSchema = z
  .object({
    type: z.literal('update'),
    id: z.string().min(1).max(200),
    tenantId: tenantIdSchema,
    key: contextKeySchema,
    op: z.enum(['put', 'patch', 'delete', 'rollback']),
    value: jsonValueSchema.optional(),
    patch: jsonValueSchema.optional(),
    toVersion: versionNumberSchema.optional(),
    source: updateSourceSchema,
    confidence: confidenceSchema.optional(),
    baseVersion: versionNumberSchema.nullable().optional(),
    author: personSchema,
    comment: z.string().optional(),
    status: updateStatusSchema,
    flags: z.array(z.enum(CONTENT_FLAGS)),
    reviewReasons: z.array(z.string()),
    contentHash: sha256HexSchema,
    createdAt: isoTimestampSchema,
    reviewedBy: z.string().optional(),
    reviewedAt: isoTimestampSchema.optional(),
    reviewNote: z.string().optional(),
    appliedVersion: versionNumberSchema.optional(),
    reason: z.string().optional(),
  })
  .strict();

export const footerLineSchema = z
  .object({
    type: z.literal('footer'),
    versions: z.number().int().min(0),
    updates: z.number().int().min(0),
    sha256: sha256HexSchema,
  })
  .strict();

export type HeaderLine = z.output<typeof headerLineSchema>;
export type VersionLine = z.output<typeof versionLineSchema>;
export type UpdateLine = z.output<typeof updateLineSchema>;
export type FooterLine = z.output<typeof footerLineSchema>;

const VERSION_FIELDS = [
  'tenantId',
  'key',
  'version',
  'value',
  'deleted',
  'contentHash',
  'source',
  'author',
  'createdAt',
  'parentVersion',
  'updateId',
] as const satisfies readonly (keyof ContextVersion)[];

const UPDATE_FIELDS = [
  'id',
  'tenantId',
  'key',
  'op',
  'value',
  'patch',
  'toVersion',
  'source',
  'confidence',
  'baseVersion',
  'author',
  'comment',
  'status',
  'flags',
  'reviewReasons',
  'contentHash',
  'createdAt',
  'reviewedBy',
  'reviewedAt',
  'reviewNote',
  'appliedVersion',
  'reason',
] as const satisfies readonly (keyof ContextUpdate)[];

/** The fields of a record in a fixed order, without undefined or null-for-absent members, so lines are byte-stable. */
function pick(type: string, record: object, fields: readonly string[]): Record<string, unknown> {
  const line: Record<string, unknown> = { type };
  const source = record as Record<string, unknown>;
  for (const field of fields) {
    if (source[field] !== undefined) line[field] = source[field];
  }
  return line;
}

export function headerLine(tenant: Tenant, exportedAt: string): HeaderLine {
  return {
    type: 'header',
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    tenant: { id: tenant.id, name: tenant.name, facets: tenant.facets, policy: tenant.policy, createdAt: tenant.createdAt },
    exportedAt,
  };
}

export function versionLine(version: ContextVersion): Record<string, unknown> {
  return pick('version', version, VERSION_FIELDS);
}

export function updateLine(update: ContextUpdate): Record<string, unknown> {
  return pick('update', update, UPDATE_FIELDS);
}

/** The stored record a line describes (the `type` member dropped). */
export function fromLine<T extends { type: string }>(line: T): Omit<T, 'type'> {
  const { type: _type, ...record } = line;
  return record;
}
