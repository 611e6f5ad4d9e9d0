import type { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import type { Run } from '../core/run.js';
import { jsonValueSchema } from '../validation/schemas.js';
import { EVOLUTION_TEMPLATE } from './evolution-template.js';
import { type ComparisonRoles, checkTemplate, type RunTemplate } from './run-template.js';

export const DEFAULT_TEMPLATE_NAME = EVOLUTION_TEMPLATE.name;
/** Comparison roles of a run without a registered template: the evolution phases, when the run has them. */
const DEFAULT_ROLES = EVOLUTION_TEMPLATE.comparison as ComparisonRoles;

/** The templates this engine knows (zod schemas live in code: each process registers its own templates). */
export class RunTemplateRegistry {
  readonly #templates = new Map<string, RunTemplate>([[EVOLUTION_TEMPLATE.name, EVOLUTION_TEMPLATE]]);

  /** Adds (or replaces) a template; ValidationError `invalid_template` when it is malformed. */
  register(template: RunTemplate): void {
    checkTemplate(template);
    this.#templates.set(template.name, Object.freeze({ ...template, phases: [...template.phases] }));
  }

  get(name: string): RunTemplate | undefined {
    return this.#templates.get(name);
  }

  list(): RunTemplate[] {
    return [...this.#templates.values()];
  }

  /** The template a run follows: its registered template, null for an ad-hoc run; ValidationError when unknown here. */
  templateOf(run: Pick<Run, 'id' | 'template'>): RunTemplate | null {
    if (run.template === null) return null;
    const template = this.#templates.get(run.template);
    if (template === undefined) throw unknownTemplate(run.template);
    return template;
  }

  /** The schema a phase's data must satisfy (any JSON value when the template gives none). */
  schemaOf(run: Pick<Run, 'id' | 'template'>, phase: string): z.ZodType {
    const definition = this.templateOf(run)?.phases.find((candidate) => candidate.name === phase);
    return definition?.schema ?? jsonValueSchema;
  }

  comparisonRoles(run: Pick<Run, 'id' | 'template' | 'phaseNames'>): Partial<ComparisonRoles> {
    const roles = this.templateOf(run)?.comparison ?? DEFAULT_ROLES;
    const present = (phase: string | undefined) => (phase !== undefined && run.phaseNames.includes(phase) ? phase : undefined);
    return { before: present(roles.before), plan: present(roles.plan), implementation: present(roles.implementation) };
  }
}

export function unknownTemplate(name: string): ValidationError {
  return new ValidationError(
    `The run template "${name}" is not registered in this engine: register it with engine.runs.registerTemplate() first.`,
    { code: 'unknown_template', details: { template: name } },
  );
}
