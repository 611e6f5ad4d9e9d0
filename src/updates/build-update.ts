import type { ApprovalPolicy } from '../core/approval-policy.js';
import type { ContentFlag, ContextUpdate } from '../core/context-update.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { ContextStore } from '../store/context-store.js';
import { reviewReasons } from './approval-decision.js';
import { detectContentFlags } from './content-flags.js';
import { canonicalJson, sha256Hex } from './content-hash.js';
import { newId } from './ids.js';
import type { ParsedProposeInput } from './propose-input.js';

/** `\u0000` preceded by an even number of backslashes: an escaped NUL, not an escaped backslash then "u0000". */
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;

/** Canonical JSON of a value, refused when it is over the size limit. */
function canonicalWithin(what: string, value: JsonValue, maxValueBytes: number): string {
  const text = canonicalJson(value);
  // Canonical JSON escapes U+0000 as \u0000; PostgreSQL's jsonb cannot store it, so no backend accepts it.
  if (ESCAPED_NUL.test(text)) {
    throw new ValidationError(`The ${what} contains a NUL character (U+0000), which cannot be stored`, { code: 'nul_character' });
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxValueBytes) {
    throw new ValidationError(`The ${what} is ${bytes} bytes; the limit is ${maxValueBytes} bytes`, { code: 'value_too_large' });
  }
  return text;
}

/** Validates a parsed proposal against the store and policy, and builds its (pending) update record. */
export async function buildUpdate(
  input: ParsedProposeInput,
  context: { store: ContextStore; policy: ApprovalPolicy; maxValueBytes: number },
): Promise<{ update: ContextUpdate; valueText: string | undefined }> {
  let flags: ContentFlag[] = [];
  let payloadText = 'null';
  if (input.op === 'put') {
    payloadText = canonicalWithin('value', input.value ?? null, context.maxValueBytes);
    flags = detectContentFlags(input.value);
  } else if (input.op === 'patch') {
    payloadText = canonicalWithin('patch', input.patch ?? null, context.maxValueBytes);
    flags = detectContentFlags(input.patch);
  } else if (input.op === 'rollback') {
    const target = await context.store.getVersion(input.tenantId, input.key, input.toVersion ?? 0);
    if (!target) {
      throw new NotFoundError(`Version ${input.toVersion} of ${input.key} does not exist`, { code: 'version_not_found' });
    }
    flags = detectContentFlags(target.value);
  }
  const baseVersion = input.baseVersion !== undefined ? input.baseVersion : input.expectedVersion;
  // The proposal's identity: what an approval binds to. The (already canonical) payload is appended as text
  // rather than re-serialised inside the envelope.
  const envelope = canonicalJson({
    op: input.op,
    key: input.key,
    toVersion: input.toVersion ?? null,
    baseVersion: baseVersion === undefined ? 'any' : baseVersion,
  });
  const contentHash = sha256Hex(`${envelope}\n${payloadText}`);
  const update: ContextUpdate = {
    id: newId('upd'),
    tenantId: input.tenantId,
    key: input.key,
    op: input.op,
    value: input.value,
    patch: input.patch,
    toVersion: input.toVersion,
    source: input.source,
    confidence: input.confidence,
    baseVersion,
    author: input.author,
    comment: input.comment,
    status: 'pending',
    flags,
    reviewReasons: reviewReasons(context.policy, { source: input.source, confidence: input.confidence, flags }),
    contentHash,
    createdAt: new Date().toISOString(),
  };
  return { update, valueText: input.op === 'put' ? payloadText : undefined };
}
