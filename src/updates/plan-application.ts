import type { ContextUpdate } from '../core/context-update.js';
import type { ContextVersion } from '../core/context-version.js';
import type { JsonValue } from '../core/json.js';
import type { VersionDraft } from '../store/context-store.js';
import { canonicalJson, sha256Hex } from './content-hash.js';
import { applyMergePatch } from './merge-patch.js';

/** What applying an update to the current state of its document would do. */
export type ApplicationPlan =
  | { kind: 'append'; draft: VersionDraft; expectedCurrentVersion: number | null; valueText: string }
  | { kind: 'noop'; current: ContextVersion }
  | { kind: 'conflict'; code: 'base_moved' | 'document_missing' | 'version_missing' | 'value_too_large'; reason: string };

export interface PlanContext {
  update: ContextUpdate;
  /** The newest version of the key (tombstones included), if any. */
  current: ContextVersion | undefined;
  /** For rollbacks: the version rolled back to, if it exists. */
  rollbackTarget: ContextVersion | undefined;
  maxValueBytes: number;
  now: string;
  /** The canonical JSON of a put's value, when the caller already has it. */
  valueText?: string | undefined;
}

function isLive(version: ContextVersion | undefined): version is ContextVersion {
  return version !== undefined && !version.deleted;
}

function checkBase(update: ContextUpdate, current: ContextVersion | undefined): ApplicationPlan | undefined {
  if (update.baseVersion === undefined) return undefined;
  if (update.baseVersion === null) {
    return isLive(current)
      ? { kind: 'conflict', code: 'base_moved', reason: `the document was created meanwhile (now at version ${current.version})` }
      : undefined;
  }
  if (update.baseVersion === current?.version || update.op === 'patch') return undefined;
  return {
    kind: 'conflict',
    code: 'base_moved',
    reason: `the document moved from base version ${update.baseVersion} to version ${current?.version ?? 'none'}`,
  };
}

function writeValue(context: PlanContext, value: JsonValue, deleted: boolean, knownText?: string): ApplicationPlan {
  const { current, update } = context;
  const text = knownText ?? canonicalJson(value);
  if (Buffer.byteLength(text, 'utf8') > context.maxValueBytes) {
    return { kind: 'conflict', code: 'value_too_large', reason: `the resulting value exceeds ${context.maxValueBytes} bytes` };
  }
  const contentHash = sha256Hex(text);
  if (current !== undefined && current.deleted === deleted && current.contentHash === contentHash) {
    return { kind: 'noop', current };
  }
  return {
    kind: 'append',
    expectedCurrentVersion: current?.version ?? null,
    valueText: text,
    draft: { value, deleted, contentHash, source: update.source, author: update.author, createdAt: context.now, valueText: text },
  };
}

/** Pure: decides how an update lands on the current document (append a version, no-op, or conflict). */
export function planApplication(context: PlanContext): ApplicationPlan {
  const { update, current } = context;
  const baseProblem = checkBase(update, current);
  if (baseProblem) return baseProblem;
  switch (update.op) {
    case 'put':
      return writeValue(context, update.value ?? null, false, context.valueText);
    case 'patch':
      if (!isLive(current)) return { kind: 'conflict', code: 'document_missing', reason: `${update.key} does not exist` };
      return writeValue(context, applyMergePatch(current.value, update.patch ?? null), false);
    case 'delete':
      if (!isLive(current)) return { kind: 'conflict', code: 'document_missing', reason: `${update.key} does not exist` };
      return writeValue(context, null, true);
    case 'rollback': {
      const target = context.rollbackTarget;
      if (!target) {
        return {
          kind: 'conflict',
          code: 'version_missing',
          reason: `version ${update.toVersion} of ${update.key} does not exist`,
        };
      }
      return writeValue(context, target.deleted ? null : target.value, target.deleted);
    }
    default: {
      const exhaustive: never = update.op;
      throw new Error(`unknown op ${String(exhaustive)}`);
    }
  }
}
