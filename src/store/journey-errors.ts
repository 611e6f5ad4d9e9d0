import { ConflictError } from '../core/errors.js';

/** The errors every journey backend raises, with the same codes and details. */

export function journeyVersionConflictError(expected: number, current: number): ConflictError {
  return new ConflictError(`The journey graph is at version ${current}, not ${expected}: it changed since it was read.`, {
    code: 'journey_version_conflict',
    details: { expectedVersion: expected, currentVersion: current },
  });
}

export function dependenciesIncompleteError(milestone: string, missing: string[]): ConflictError {
  return new ConflictError(`${milestone} depends on ${missing.join(', ')}, which the user has not completed yet.`, {
    code: 'milestone_dependencies_incomplete',
    details: { milestone, missing },
  });
}
