import { z } from 'zod';
import type { RunTemplate } from './run-template.js';

/**
 * The default template: seed 001's five phases of an evolution run, with schemas for the fields the seed names
 * (camelCase). Objects are loose (agents may add fields); lists and maps default to empty, so agents can build a
 * phase up with merge patches in any order.
 */
const text = z.string().min(1).max(10_000);
const scalar = z.union([z.number(), z.string().max(10_000), z.boolean(), z.null()]);
const metricValue = z.union([scalar, z.record(z.string().min(1).max(200), scalar)]);
/** Named measurements (one level of nesting: `{ coverage: { lines: 75 } }`); comparisons use the numbers. */
export const metricsSchema = z.record(z.string().min(1).max(200), metricValue);

export const originalAnalysisSchema = z.looseObject({
  filesAnalyzed: z.number().int().min(0).optional(),
  metrics: metricsSchema.default({}),
  issues: z.array(z.looseObject({ type: text, location: text.optional(), message: text.optional() })).default([]),
  improvements: z
    .array(z.looseObject({ type: text, priority: z.enum(['low', 'medium', 'high', 'critical']).optional() }))
    .default([]),
});

export const externalResearchSchema = z.looseObject({
  bestPractices: z.array(text).default([]),
  references: z.array(z.looseObject({ url: text, title: text.optional() })).default([]),
  patterns: z.array(z.looseObject({ name: text, applicability: z.number().min(0).max(1).optional() })).default([]),
});

export const improvementPlanSchema = z.looseObject({
  tasks: z.array(z.looseObject({ id: text, title: text.optional() })).default([]),
  priorities: z.array(text).default([]),
  dependencies: z.record(text, z.array(text)).default({}),
  estimatedImpact: z.number().min(0).max(1).optional(),
});

export const implementationLogSchema = z.looseObject({
  modifiedFiles: z.array(text).default([]),
  changes: z.array(z.looseObject({ file: text, type: text })).default([]),
  rollbackPoints: z.array(z.looseObject({ id: text, timestamp: text.optional() })).default([]),
});

export const evaluationResultsSchema = z.looseObject({
  goalsAchieved: z.union([z.array(text), z.record(text, z.boolean())]).default([]),
  metricsComparison: z
    .looseObject({ before: metricsSchema.optional(), after: metricsSchema.optional(), delta: metricsSchema.optional() })
    .optional(),
  successRate: z.number().min(0).max(1).optional(),
});

export type OriginalAnalysisInput = z.input<typeof originalAnalysisSchema>;
export type ExternalResearchInput = z.input<typeof externalResearchSchema>;
export type ImprovementPlanInput = z.input<typeof improvementPlanSchema>;
export type ImplementationLogInput = z.input<typeof implementationLogSchema>;
export type EvaluationResultsInput = z.input<typeof evaluationResultsSchema>;

export const EVOLUTION_PHASES = [
  'original_analysis',
  'external_research',
  'improvement_plan',
  'implementation_log',
  'evaluation_results',
] as const;

export const EVOLUTION_TEMPLATE: RunTemplate = Object.freeze({
  name: 'evolution',
  description: 'Seed 001: analysis and research (in parallel), planning, implementation, evaluation.',
  phases: [
    {
      name: 'original_analysis',
      description: 'The project before: metrics, issues, improvements',
      schema: originalAnalysisSchema,
    },
    { name: 'external_research', description: 'Best practices, references, patterns', schema: externalResearchSchema },
    { name: 'improvement_plan', description: 'Tasks, priorities, dependencies, estimated impact', schema: improvementPlanSchema },
    { name: 'implementation_log', description: 'Modified files, changes, rollback points', schema: implementationLogSchema },
    {
      name: 'evaluation_results',
      description: 'Goals achieved, metrics before/after, success rate',
      schema: evaluationResultsSchema,
    },
  ],
  comparison: { before: 'original_analysis', plan: 'improvement_plan', implementation: 'implementation_log' },
});
