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

function checkSize(what: string, value: JsonValue, maxValueBytes: number): void {
  const bytes = Buffer.byteLength(canonicalJson(value), 'utf8');
  if (bytes > maxValueBytes) {
    throw new ValidationError(`The ${what} is ${bytes} bytes; the limit is ${maxValueBytes} bytes`, { code: 'value_too_large' });
  }
}

/** Validates a parsed proposal against the store and policy, and builds its (pending) update record. */
export async function buildUpdate(
  input: ParsedProposeInput,
  context: { store: ContextStore; policy: ApprovalPolicy; maxValueBytes: number },
): Promise<ContextUpdate> {
  let flags: ContentFlag[] = [];
  if (input.op === 'put') {
    checkSize('value', input.value ?? null, context.maxValueBytes);
    flags = detectContentFlags(input.value);
  } else if (input.op === 'patch') {
    checkSize('patch', input.patch ?? null, context.maxValueBytes);
    flags = detectContentFlags(input.patch);
  } else if (input.op === 'rollback') {
    const target = await context.store.getVersion(input.tenantId, input.key, input.toVersion ?? 0);
    if (!target) {
      throw new NotFoundError(`Version ${input.toVersion} of ${input.key} does not exist`, { code: 'version_not_found' });
    }
    flags = detectContentFlags(target.value);
  }
  const baseVersion = input.baseVersion !== undefined ? input.baseVersion : input.expectedVersion;
  const contentHash = sha256Hex(
    canonicalJson({
      op: input.op,
      key: input.key,
      value: input.value ?? null,
      patch: input.patch ?? null,
      toVersion: input.toVersion ?? null,
      baseVersion: baseVersion === undefined ? 'any' : baseVersion,
    }),
  );
  return {
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
}
