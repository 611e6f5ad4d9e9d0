import type { JsonValue } from './json.js';
import type { UpdateSource } from './update-source.js';

export type UpdateOp = 'put' | 'patch' | 'delete' | 'rollback';

export const UPDATE_STATUSES = ['pending', 'approved', 'applied', 'rejected', 'conflicted', 'superseded'] as const;
export type UpdateStatus = (typeof UPDATE_STATUSES)[number];

/** Why content was judged suspicious; any flag forces review. */
export type ContentFlag =
  | 'prompt_injection'
  | 'zero_width_characters'
  | 'bidi_control_characters'
  | 'unicode_tag_characters'
  | 'hidden_html'
  | 'hidden_markdown'
  | 'base64_blob';

/** A proposed change to one context document, and what became of it. */
export interface ContextUpdate {
  id: string;
  tenantId: string;
  key: string;
  op: UpdateOp;
  /** For `put`. */
  value?: JsonValue | undefined;
  /** For `patch`: an RFC 7386 merge patch. */
  patch?: JsonValue | undefined;
  /** For `rollback`. */
  toVersion?: number | undefined;
  source: UpdateSource;
  confidence?: number | undefined;
  /** The version the proposer saw; null = "the document must not exist yet"; undefined = no precondition. */
  baseVersion?: number | null | undefined;
  author: string;
  comment?: string | undefined;
  status: UpdateStatus;
  flags: ContentFlag[];
  /** Why it needs review (policy, confidence, flags); empty when it auto-applied. */
  reviewReasons: string[];
  /** sha256 of the canonical proposal (op, key, value/patch/toVersion, baseVersion): what an approval binds to. */
  contentHash: string;
  createdAt: string;
  reviewedBy?: string | undefined;
  reviewedAt?: string | undefined;
  reviewNote?: string | undefined;
  /** The version this update produced once applied (or the current one when it was a no-op). */
  appliedVersion?: number | undefined;
  /** Why it ended `conflicted` or `rejected`. */
  reason?: string | undefined;
}
