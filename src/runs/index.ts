export type {
  EvaluationResultsInput,
  ExternalResearchInput,
  ImplementationLogInput,
  ImprovementPlanInput,
  OriginalAnalysisInput,
} from './evolution-template.js';
export { EVOLUTION_PHASES, EVOLUTION_TEMPLATE } from './evolution-template.js';
export type { EvolutionWriters } from './evolution-writers.js';
export type { PhaseWriteResult } from './phase-writes.js';
export type { ComparisonSource, RunComparison } from './run-comparison.js';
export type { RunExport } from './run-export-format.js';
export { RUN_EXPORT_FORMAT, RUN_EXPORT_FORMAT_VERSION } from './run-export-format.js';
export type { CreateRunInput, ListRunsQuery, LogErrorInput, PhaseWriteOptions } from './run-input.js';
export type { RunService, RunStatsView } from './run-service.js';
export type { ComparisonRoles, PhaseDefinition, RunTemplate } from './run-template.js';
export type { ExportRunOptions, ImportRunOptions } from './run-transfer.js';
export type { RunsConfig } from './runs-config.js';
