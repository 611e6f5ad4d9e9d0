import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { PHASE_NAME_PATTERN } from '../core/run.js';

/** One phase of a template: its name and, optionally, the zod schema its data must satisfy. */
export interface PhaseDefinition {
  name: string;
  description?: string | undefined;
  /** Validates (and may complete, with defaults) the phase's data, which must stay JSON; absent: any JSON value. */
  schema?: z.ZodType | undefined;
}

/**
 * Which phases a three-way comparison reads: `before` (its first version is the state before; its newest version,
 * when there is more than one, is the state after), the `plan`, and the `implementation`.
 */
export interface ComparisonRoles {
  before: string;
  plan?: string | undefined;
  implementation?: string | undefined;
}

/** A named list of phases with their schemas (the seed's five phases are the `evolution` template). */
export interface RunTemplate {
  name: string;
  description?: string | undefined;
  phases: PhaseDefinition[];
  comparison?: ComparisonRoles | undefined;
}

export const TEMPLATE_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;
export const MAX_PHASES = 32;

/** Refuses a template with a bad name, no phases, duplicate or malformed phase names, or comparison roles it lacks. */
export function checkTemplate(template: RunTemplate): void {
  const problem = (message: string) =>
    new ValidationError(`Invalid run template "${template.name}": ${message}`, { code: 'invalid_template' });
  if (!TEMPLATE_NAME_PATTERN.test(template.name)) {
    throw problem('the name must be 1-63 characters of a-z, 0-9, _ or -, starting with a letter');
  }
  checkPhaseNames(
    template.phases.map((phase) => phase.name),
    problem,
  );
  for (const role of Object.values(template.comparison ?? {})) {
    if (role !== undefined && !template.phases.some((phase) => phase.name === role)) {
      throw problem(`its comparison names the phase "${role}", which it does not have`);
    }
  }
}

/** 1 to 32 distinct phase names of a-z, 0-9 and _. */
export function checkPhaseNames(names: readonly string[], problem: (message: string) => Error): void {
  if (names.length === 0 || names.length > MAX_PHASES) throw problem(`it must have 1 to ${MAX_PHASES} phases`);
  const seen = new Set<string>();
  for (const name of names) {
    if (!PHASE_NAME_PATTERN.test(name)) {
      throw problem(`the phase name "${name}" must be 1-63 characters of a-z, 0-9 and _, starting with a letter`);
    }
    if (seen.has(name)) throw problem(`the phase "${name}" appears twice`);
    seen.add(name);
  }
}
