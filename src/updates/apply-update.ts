import type { ContextUpdate, UpdateStatus } from '../core/context-update.js';
import type { ContextVersion } from '../core/context-version.js';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../core/errors.js';
import type { TokenCounts } from '../core/token-counts.js';
import type { EventBus } from '../events/event-bus.js';
import type { ContextStore, VersionDraft } from '../store/context-store.js';
import { planApplication } from './plan-application.js';

/** How an attempt to apply an update ended. */
export type ApplyOutcome = 'applied' | 'unchanged' | 'conflicted';

export interface ApplyResult {
  outcome: ApplyOutcome;
  update: ContextUpdate;
  /** The version now current for the key: the new one, or the unchanged one. */
  version?: ContextVersion | undefined;
}

export interface ApplyOptions {
  store: ContextStore;
  bus: EventBus;
  maxValueBytes: number;
  /** 'insert' for a new update that applies at once; 'approve' for a pending one (status compare-and-set). */
  mode: 'insert' | 'approve';
  /** Strict precondition (HTTP If-Match): checked against the current version on every attempt. */
  expectedVersion?: number | null | undefined;
  /** The canonical JSON of a put's value, already computed by the proposal. */
  valueText?: string | undefined;
  /** Counts the tokens of a value's canonical JSON (stored with the version, read by the assembler). */
  countTokens?: ((canonicalValue: string) => TokenCounts) | undefined;
}

const MAX_ATTEMPTS = 64;

/** The draft of an append, with its value's token counts when there is a value and a counter. */
function withTokenCounts(
  plan: Extract<ReturnType<typeof planApplication>, { kind: 'append' }>,
  countTokens: ApplyOptions['countTokens'],
): VersionDraft {
  if (countTokens === undefined || plan.draft.deleted) return plan.draft;
  return { ...plan.draft, tokenCounts: countTokens(plan.valueText) };
}

function isVersionConflict(error: unknown): boolean {
  return error instanceof ConflictError && error.code === 'version_conflict';
}

/** Throws PreconditionFailedError unless the current version is the expected one (null: no live version). */
export function checkPrecondition(expected: number | null | undefined, current: ContextVersion | undefined, key: string): void {
  if (expected === undefined) return;
  const live = current !== undefined && !current.deleted;
  if (expected === null ? live : current?.version !== expected) {
    throw new PreconditionFailedError(
      expected === null
        ? `${key} already exists (version ${current?.version}); If-None-Match: * allows creation only`
        : `${key} is at version ${current?.version ?? 'none'}, not ${expected}`,
      { details: { currentVersion: current?.version ?? null } },
    );
  }
}

/**
 * Applies an update to its document, retrying on concurrent writers (a patch is re-applied on the newest
 * value; anything with a base version that moved becomes `conflicted`). Never loses a concurrent write: every
 * append is a compare-and-set on the current version.
 */
export async function applyUpdate(update: ContextUpdate, options: ApplyOptions): Promise<ApplyResult> {
  const { store, mode } = options;
  const expectStatus: UpdateStatus | undefined = mode === 'approve' ? 'pending' : undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await store.getCurrent(update.tenantId, update.key);
    checkPrecondition(options.expectedVersion, current, update.key);
    const rollbackTarget =
      update.op === 'rollback' && update.toVersion !== undefined
        ? await store.getVersion(update.tenantId, update.key, update.toVersion)
        : undefined;
    const now = new Date().toISOString();
    const plan = planApplication({
      update,
      current,
      rollbackTarget,
      maxValueBytes: options.maxValueBytes,
      now,
      valueText: options.valueText,
    });

    if (plan.kind === 'conflict') {
      if (mode === 'insert' && plan.code === 'document_missing')
        throw new NotFoundError(plan.reason, { code: 'context_not_found' });
      if (mode === 'insert' && plan.code === 'version_missing')
        throw new NotFoundError(plan.reason, { code: 'version_not_found' });
      if (mode === 'insert' && plan.code === 'value_too_large')
        throw new ValidationError(plan.reason, { code: 'value_too_large' });
      const conflicted: ContextUpdate = { ...update, status: 'conflicted', reason: plan.reason };
      const result = await store.commit({ update: conflicted, expectStatus });
      options.bus.emit('update.conflicted', { tenantId: update.tenantId, update: result.update });
      return { outcome: 'conflicted', update: result.update, version: current };
    }

    if (plan.kind === 'noop') {
      const applied: ContextUpdate = { ...update, status: 'applied', appliedVersion: plan.current.version };
      // A direct write of an identical value changes nothing, so nothing is stored.
      if (mode === 'insert') return { outcome: 'unchanged', update: applied, version: plan.current };
      const result = await store.commit({ update: applied, expectStatus });
      options.bus.emit('update.approved', { tenantId: update.tenantId, update: result.update });
      return { outcome: 'unchanged', update: result.update, version: plan.current };
    }

    try {
      const result = await store.commit({
        update: { ...update, status: 'applied' },
        expectStatus,
        append: { expectedCurrentVersion: plan.expectedCurrentVersion, draft: withTokenCounts(plan, options.countTokens) },
      });
      const version = result.version as ContextVersion;
      if (mode === 'approve') options.bus.emit('update.approved', { tenantId: update.tenantId, update: result.update, version });
      options.bus.emit('context.updated', { tenantId: update.tenantId, key: update.key, version, update: result.update });
      return { outcome: 'applied', update: result.update, version };
    } catch (error) {
      if (!isVersionConflict(error)) throw error;
    }
  }
  throw new ConflictError(`${update.key} is being written by too many writers at once; retry the request`, {
    code: 'write_contention',
  });
}
