import type { ContextUpdate, UpdateStatus } from '../core/context-update.js';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../core/errors.js';
import type { Page } from '../core/page.js';
import type { TokenCounts } from '../core/token-counts.js';
import type { EventBus } from '../events/event-bus.js';
import type { ContextStore } from '../store/context-store.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { parseWith } from '../validation/parse.js';
import { tenantIdSchema } from '../validation/schemas.js';
import { type ApplyResult, applyUpdate, checkPrecondition } from './apply-update.js';
import { buildUpdate } from './build-update.js';
import {
  type ApproveInput,
  approveInputSchema,
  type ProposeInput,
  proposeInputSchema,
  type RejectInput,
  rejectInputSchema,
} from './propose-input.js';

/** The result of a proposal: applied at once, unchanged (identical value), pending review, or conflicted. */
export interface ProposeResult extends Omit<ApplyResult, 'outcome'> {
  outcome: ApplyResult['outcome'] | 'pending';
}

export interface ListUpdatesQuery {
  tenantIds?: string[] | undefined;
  status?: UpdateStatus | undefined;
  key?: string | undefined;
  cursor?: string | undefined;
  limit?: number | undefined;
}

/** The governed write path: every change to a context document is an update that is applied or reviewed. */
export interface UpdateService {
  propose(input: ProposeInput): Promise<ProposeResult>;
  /** Applies a pending update. Idempotent: approving an applied update returns it unchanged. */
  approve(tenantId: string, updateId: string, input: ApproveInput): Promise<ApplyResult>;
  /** Rejects a pending update. Idempotent: rejecting a rejected update returns it unchanged. */
  reject(tenantId: string, updateId: string, input: RejectInput): Promise<ContextUpdate>;
  get(tenantId: string, updateId: string): Promise<ContextUpdate>;
  list(query: ListUpdatesQuery): Promise<Page<ContextUpdate>>;
}

export interface UpdateServiceOptions {
  store: ContextStore;
  tenants: TenantService;
  bus: EventBus;
  maxValueBytes: number;
  /** Counts a value's tokens when its version is written (see ContextVersion.tokenCounts); none: not counted. */
  countTokens?: ((canonicalValue: string) => TokenCounts) | undefined;
}

function notPending(update: ContextUpdate): ConflictError {
  return new ConflictError(`Update ${update.id} is ${update.status}, not pending`, {
    code: 'update_not_pending',
    details: { status: update.status },
  });
}

function isStateChanged(error: unknown): boolean {
  return error instanceof ConflictError && error.code === 'update_state_changed';
}

export function createUpdateService(options: UpdateServiceOptions): UpdateService {
  const { store, tenants, bus, maxValueBytes, countTokens } = options;

  async function get(tenantId: string, updateId: string): Promise<ContextUpdate> {
    parseWith(tenantIdSchema, tenantId, 'tenant id');
    await tenants.require(tenantId);
    const update = await store.getUpdate(tenantId, updateId);
    if (!update) throw new NotFoundError(`Update ${JSON.stringify(updateId)} does not exist`, { code: 'update_not_found' });
    return update;
  }

  return {
    async propose(input) {
      const parsed = parseWith(proposeInputSchema, input, 'proposal');
      await tenants.require(parsed.tenantId);
      const policy = await tenants.policyOf(parsed.tenantId);
      const { update, valueText } = await buildUpdate(parsed, { store, policy, maxValueBytes });
      if (update.reviewReasons.length === 0) {
        const expectedVersion = parsed.expectedVersion;
        return applyUpdate(update, { store, bus, maxValueBytes, mode: 'insert', expectedVersion, valueText, countTokens });
      }
      if (parsed.expectedVersion !== undefined) {
        checkPrecondition(parsed.expectedVersion, await store.getCurrent(parsed.tenantId, parsed.key), parsed.key);
      }
      const result = await store.commit({ update });
      bus.emit('update.proposed', { tenantId: update.tenantId, update: result.update });
      return { outcome: 'pending', update: result.update };
    },

    async approve(tenantId, updateId, input) {
      const parsed = parseWith(approveInputSchema, input, 'approval');
      const update = await get(tenantId, updateId);
      if (parsed.expectedContentHash !== undefined && parsed.expectedContentHash !== update.contentHash) {
        throw new PreconditionFailedError(
          `Update ${update.id} has content hash ${update.contentHash}, not the expected ${parsed.expectedContentHash}`,
          { code: 'content_hash_mismatch' },
        );
      }
      if (update.status === 'applied') return { outcome: 'unchanged', update };
      if (update.status !== 'pending') throw notPending(update);
      const reviewed: ContextUpdate = {
        ...update,
        reviewedBy: parsed.by,
        reviewedAt: new Date().toISOString(),
        reviewNote: parsed.note,
      };
      try {
        return await applyUpdate(reviewed, { store, bus, maxValueBytes, mode: 'approve', countTokens });
      } catch (error) {
        if (!isStateChanged(error)) throw error;
        const now = await get(tenantId, updateId);
        if (now.status === 'applied') return { outcome: 'unchanged', update: now };
        throw notPending(now);
      }
    },

    async reject(tenantId, updateId, input) {
      const parsed = parseWith(rejectInputSchema, input, 'rejection');
      const update = await get(tenantId, updateId);
      if (update.status === 'rejected') return update;
      if (update.status !== 'pending') throw notPending(update);
      const rejected: ContextUpdate = {
        ...update,
        status: 'rejected',
        reviewedBy: parsed.by,
        reviewedAt: new Date().toISOString(),
        reason: parsed.reason,
      };
      try {
        const result = await store.commit({ update: rejected, expectStatus: 'pending' });
        bus.emit('update.rejected', { tenantId, update: result.update });
        return result.update;
      } catch (error) {
        if (!isStateChanged(error)) throw error;
        const now = await get(tenantId, updateId);
        if (now.status === 'rejected') return now;
        throw notPending(now);
      }
    },

    get,

    async list(query) {
      for (const tenantId of query.tenantIds ?? []) await tenants.require(tenantId);
      return store.listUpdates(query);
    },
  };
}
