import type { UpdateStatus } from '../core/context-update.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';

/** The errors every backend raises, with the same codes, messages and details. */

export function tenantExistsError(tenantId: string): ConflictError {
  return new ConflictError(`Tenant "${tenantId}" already exists.`, { code: 'tenant_exists', details: { tenantId } });
}

export function tenantNotFoundError(tenantId: string): NotFoundError {
  return new NotFoundError(`Tenant "${tenantId}" does not exist.`, { code: 'tenant_not_found', details: { tenantId } });
}

export function updateExistsError(updateId: string): ConflictError {
  return new ConflictError(`An update with id "${updateId}" already exists.`, {
    code: 'update_exists',
    details: { updateId },
  });
}

export function updateNotFoundError(updateId: string): NotFoundError {
  return new NotFoundError(`Update "${updateId}" does not exist.`, { code: 'update_not_found', details: { updateId } });
}

export function updateStateChangedError(updateId: string, expected: UpdateStatus, status: string): ConflictError {
  return new ConflictError(`Update "${updateId}" is ${status}, not ${expected}: someone else acted on it first.`, {
    code: 'update_state_changed',
    details: { updateId, expectedStatus: expected, status },
  });
}

export function versionConflictError(key: string, expected: number | null, currentVersion: number | null): ConflictError {
  const describe = (version: number | null) => (version === null ? 'no version' : `version ${version}`);
  return new ConflictError(
    `"${key}" is at ${describe(currentVersion)}, not ${describe(expected)}: it changed since it was read.`,
    { code: 'version_conflict', details: { key, expectedVersion: expected, currentVersion } },
  );
}

export function apiKeyExistsError(id: string): ConflictError {
  return new ConflictError(`An API key with id "${id}" already exists.`, { code: 'api_key_exists', details: { id } });
}

/** `at` for `getAsOf` as a canonical ISO-8601 instant, so that it compares with stored `createdAt` strings. */
export function normalizeInstant(at: string): string {
  const time = Date.parse(at);
  if (Number.isNaN(time)) {
    throw new ValidationError(`"${at}" is not an ISO-8601 date-time.`, { code: 'invalid_timestamp' });
  }
  return new Date(time).toISOString();
}
