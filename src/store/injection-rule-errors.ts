import { ConflictError } from '../core/errors.js';

/** The conflict every injection-rule backend raises on a stale compare-and-set. */
export function injectionRulesVersionConflictError(expected: number, current: number): ConflictError {
  return new ConflictError(`The injection rules are at version ${current}, not ${expected}: they changed since they were read.`, {
    code: 'injection_rules_version_conflict',
    details: { expectedVersion: expected, currentVersion: current },
  });
}
