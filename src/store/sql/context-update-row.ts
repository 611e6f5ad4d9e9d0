import type { ContentFlag, ContextUpdate, UpdateOp, UpdateStatus } from '../../core/context-update.js';
import type { JsonValue } from '../../core/json.js';
import type { UpdateSource } from '../../core/update-source.js';
import type { SqlDialect } from './sql-dialect.js';
import type { SqlParameter } from './sql-executor.js';

/** A row of `context_updates`. What the proposal holds (value, patch, toVersion, baseVersion) is one JSON payload. */
export interface ContextUpdateRow {
  id: string;
  tenant_id: string;
  key: string;
  op: string;
  payload: unknown;
  source: string;
  confidence: number | null;
  author: string;
  comment: string | null;
  status: string;
  flags: unknown;
  review_reasons: unknown;
  content_hash: string;
  created_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_note: string | null;
  applied_version: number | null;
  reason: string | null;
}

interface UpdatePayload {
  value?: JsonValue;
  patch?: JsonValue;
  toVersion?: number;
  /** Absent = no precondition; null = the document must not exist yet. */
  baseVersion?: number | null;
}

/** Every column but `id` and `tenant_id`, in the order of `updateColumnValues`. */
export const UPDATE_DATA_COLUMNS = [
  'key',
  'op',
  'payload',
  'source',
  'confidence',
  'author',
  'comment',
  'status',
  'flags',
  'review_reasons',
  'content_hash',
  'created_at',
  'reviewed_by',
  'reviewed_at',
  'review_note',
  'applied_version',
  'reason',
] as const;

export function updateColumnValues(dialect: SqlDialect, update: ContextUpdate): SqlParameter[] {
  const payload: UpdatePayload = {};
  if (update.value !== undefined) payload.value = update.value;
  if (update.patch !== undefined) payload.patch = update.patch;
  if (update.toVersion !== undefined) payload.toVersion = update.toVersion;
  if (update.baseVersion !== undefined) payload.baseVersion = update.baseVersion;
  return [
    update.key,
    update.op,
    dialect.encodeJson(payload),
    update.source,
    update.confidence ?? null,
    update.author,
    update.comment ?? null,
    update.status,
    dialect.encodeJson(update.flags),
    dialect.encodeJson(update.reviewReasons),
    update.contentHash,
    update.createdAt,
    update.reviewedBy ?? null,
    update.reviewedAt ?? null,
    update.reviewNote ?? null,
    update.appliedVersion ?? null,
    update.reason ?? null,
  ];
}

export function toContextUpdate(dialect: SqlDialect, row: ContextUpdateRow): ContextUpdate {
  const payload = dialect.decodeJson(row.payload) as UpdatePayload;
  const update: ContextUpdate = {
    id: row.id,
    tenantId: row.tenant_id,
    key: row.key,
    op: row.op as UpdateOp,
    source: row.source as UpdateSource,
    author: row.author,
    status: row.status as UpdateStatus,
    flags: dialect.decodeJson(row.flags) as ContentFlag[],
    reviewReasons: dialect.decodeJson(row.review_reasons) as string[],
    contentHash: row.content_hash,
    createdAt: row.created_at,
  };
  if (payload.value !== undefined) update.value = payload.value;
  if (payload.patch !== undefined) update.patch = payload.patch;
  if (payload.toVersion !== undefined) update.toVersion = payload.toVersion;
  if (payload.baseVersion !== undefined) update.baseVersion = payload.baseVersion;
  if (row.confidence !== null) update.confidence = row.confidence;
  if (row.comment !== null) update.comment = row.comment;
  if (row.reviewed_by !== null) update.reviewedBy = row.reviewed_by;
  if (row.reviewed_at !== null) update.reviewedAt = row.reviewed_at;
  if (row.review_note !== null) update.reviewNote = row.review_note;
  if (row.applied_version !== null) update.appliedVersion = row.applied_version;
  if (row.reason !== null) update.reason = row.reason;
  return update;
}
