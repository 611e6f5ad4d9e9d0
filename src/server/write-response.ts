import type { FastifyReply } from 'fastify';
import { versionSummary } from '../contexts/version-view.js';
import type { ContextUpdate } from '../core/context-update.js';
import type { ContextVersion } from '../core/context-version.js';
import { ConflictError } from '../core/errors.js';
import type { ApplyResult } from '../updates/apply-update.js';
import type { ProposeResult } from '../updates/update-service.js';
import { contextPath } from './context-path.js';
import { etagOf } from './preconditions.js';

export function updatePath(tenant: string, updateId: string): string {
  return `/v1/tenants/${tenant}/updates/${encodeURIComponent(updateId)}`;
}

/** A `conflicted` outcome is a 409 problem that carries the update (it is stored, with its reason). */
export function conflicted(update: ContextUpdate): ConflictError {
  return new ConflictError(update.reason ?? `Update ${update.id} conflicted with a concurrent change.`, {
    code: 'update_conflicted',
    details: { update },
  });
}

/** Answers a document write (PUT, PATCH, DELETE, rollback): 201 new version (200 for a delete), 200 identical value, 202 pending. */
export function sendDocumentWrite(reply: FastifyReply, tenant: string, result: ProposeResult, newVersionStatus: 200 | 201) {
  if (result.outcome === 'conflicted') throw conflicted(result.update);
  if (result.outcome === 'pending') {
    reply.code(202).header('location', updatePath(tenant, result.update.id));
    const { key, id, flags, reviewReasons } = result.update;
    return { key, status: 'pending' as const, updateId: id, flags, reviewReasons };
  }
  const version = result.version as ContextVersion;
  reply.code(result.outcome === 'applied' ? newVersionStatus : 200);
  reply.header('etag', etagOf(version.version));
  reply.header('location', `${contextPath(tenant, version.key)}?version=${version.version}`);
  return {
    key: version.key,
    version: version.version,
    status: 'applied' as const,
    updateId: version.updateId,
    contentHash: version.contentHash,
    createdAt: version.createdAt,
    ...(version.deleted ? { deleted: true } : {}),
  };
}

/** Answers propose / approve: 201 applied (propose) or 200, 200 unchanged, 202 pending; conflicted → 409. */
export function sendUpdateResult(
  reply: FastifyReply,
  tenant: string,
  result: ProposeResult | ApplyResult,
  appliedStatus: 200 | 201,
) {
  if (result.outcome === 'conflicted') throw conflicted(result.update);
  const status = result.outcome === 'applied' ? appliedStatus : result.outcome === 'pending' ? 202 : 200;
  reply.code(status).header('location', updatePath(tenant, result.update.id));
  if (result.version !== undefined && result.outcome !== 'pending') reply.header('etag', etagOf(result.version.version));
  return {
    status: result.outcome,
    update: result.update,
    ...(result.version !== undefined && result.outcome !== 'pending' ? { version: versionSummary(result.version) } : {}),
  };
}
