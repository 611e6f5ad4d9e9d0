import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import type { RunStatus } from '../core/run.js';

/** The errors every RunStore backend raises, with the same codes, messages and details. */

export function runNotFoundError(runId: string): NotFoundError {
  return new NotFoundError(`Run "${runId}" does not exist in this tenant.`, { code: 'run_not_found', details: { runId } });
}

export function runExistsError(runId: string): ConflictError {
  return new ConflictError(`A run with id "${runId}" already exists in this tenant.`, {
    code: 'run_exists',
    details: { runId },
  });
}

export function runLimitReachedError(maxRunsPerTenant: number): ConflictError {
  return new ConflictError(
    `The tenant has ${maxRunsPerTenant} runs (the limit) and none of them is finished, so none can be evicted; finish or delete a run first.`,
    { code: 'run_limit_reached', details: { maxRunsPerTenant } },
  );
}

export function runRevisionConflictError(runId: string, expected: number, current: number): ConflictError {
  return new ConflictError(`Run "${runId}" is at revision ${current}, not ${expected}: it changed since it was read.`, {
    code: 'run_revision_conflict',
    details: { runId, expectedRevision: expected, currentRevision: current },
  });
}

export function runFinishedError(runId: string, status: RunStatus): ConflictError {
  return new ConflictError(`Run "${runId}" is ${status}: a finished run no longer changes.`, {
    code: 'run_finished',
    details: { runId, status },
  });
}

export function runRunningError(runId: string): ConflictError {
  return new ConflictError(`Run "${runId}" is still running: only a finished run can be deleted.`, {
    code: 'run_running',
    details: { runId },
  });
}

export function phaseNotInRunError(runId: string, phase: string, phaseNames: readonly string[]): ValidationError {
  return new ValidationError(`Run "${runId}" has no phase "${phase}"; its phases are ${phaseNames.join(', ')}.`, {
    code: 'phase_not_in_run',
    details: { runId, phase, phaseNames: [...phaseNames] },
  });
}

export function phaseVersionConflictError(phase: string, expected: number | null, current: number | null): ConflictError {
  const describe = (version: number | null) => (version === null ? 'no version' : `version ${version}`);
  return new ConflictError(
    `Phase "${phase}" is at ${describe(current)}, not ${describe(expected)}: it changed since it was read.`,
    {
      code: 'phase_version_conflict',
      details: { phase, expectedVersion: expected, currentVersion: current },
    },
  );
}
