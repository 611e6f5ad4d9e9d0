import { versionSummary } from '../../contexts/version-view.js';
import type { ContextUpdate } from '../../core/context-update.js';
import type { ContextVersion } from '../../core/context-version.js';
import { ConflictError } from '../../core/errors.js';
import type { ApplyResult } from '../../updates/apply-update.js';
import type { ProposeResult } from '../../updates/update-service.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { Output } from '../output.js';
import type { CliRuntime } from '../runtime.js';

/** A conflicted update is stored with its reason; like the API's 409, the CLI reports it as an error (exit 4). */
export function conflictedError(update: ContextUpdate): ConflictError {
  return new ConflictError(`Update ${update.id} conflicted: ${update.reason ?? 'the document changed concurrently'}`, {
    code: 'update_conflicted',
  });
}

/** The HTTP API's answer to PUT contexts/:key (201/200 applied, 202 pending). */
export function writeResultBody(result: ProposeResult): Record<string, unknown> {
  if (result.outcome === 'pending') {
    const { key, id, flags, reviewReasons } = result.update;
    return { key, status: 'pending', updateId: id, flags, reviewReasons };
  }
  const version = result.version as ContextVersion;
  return {
    key: version.key,
    version: version.version,
    status: 'applied',
    updateId: version.updateId,
    contentHash: version.contentHash,
    createdAt: version.createdAt,
    ...(version.deleted ? { deleted: true } : {}),
  };
}

/** The HTTP API's answer to POST updates/:id/approve. */
export function approveResultBody(result: ApplyResult): Record<string, unknown> {
  return {
    status: result.outcome,
    update: result.update,
    ...(result.version !== undefined ? { version: versionSummary(result.version) } : {}),
  };
}

/** Prints a write's outcome; exit 0 applied or unchanged, 10 pending review, 4 conflicted (as an error). */
export function reportWrite(runtime: CliRuntime, output: Output, tenantId: string, key: string, result: ProposeResult): void {
  if (result.outcome === 'conflicted') throw conflictedError(result.update);
  const where = `${tenantId}/${key}`;
  if (result.outcome === 'pending') runtime.exitCode = EXIT_CODES.pendingReview;
  output.result(writeResultBody(result), () => {
    if (result.outcome === 'pending')
      return `${where}: pending review as ${result.update.id} (${result.update.reviewReasons.join('; ')})`;
    if (result.outcome === 'unchanged') return `${where}: unchanged at version ${result.version?.version} (identical value)`;
    return `${where}: version ${result.version?.version} (update ${result.update.id})`;
  });
}
