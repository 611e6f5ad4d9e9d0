import type {
  EvaluationResultsInput,
  ExternalResearchInput,
  ImplementationLogInput,
  ImprovementPlanInput,
  OriginalAnalysisInput,
} from './evolution-template.js';
import type { PhaseWriteResult } from './phase-writes.js';
import type { PhaseWriteOptions } from './run-input.js';

/** Seed 001's `store_*` methods for one run of the `evolution` template (each writes one phase, validated). */
export interface EvolutionWriters {
  storeOriginalAnalysis(data: OriginalAnalysisInput, options?: PhaseWriteOptions): Promise<PhaseWriteResult>;
  storeExternalResearch(data: ExternalResearchInput, options?: PhaseWriteOptions): Promise<PhaseWriteResult>;
  storeImprovementPlan(data: ImprovementPlanInput, options?: PhaseWriteOptions): Promise<PhaseWriteResult>;
  storeImplementationLog(data: ImplementationLogInput, options?: PhaseWriteOptions): Promise<PhaseWriteResult>;
  storeEvaluationResults(data: EvaluationResultsInput, options?: PhaseWriteOptions): Promise<PhaseWriteResult>;
}

export function evolutionWriters(
  write: (phase: string, data: unknown, options?: PhaseWriteOptions) => Promise<PhaseWriteResult>,
): EvolutionWriters {
  return {
    storeOriginalAnalysis: (data, options) => write('original_analysis', data, options),
    storeExternalResearch: (data, options) => write('external_research', data, options),
    storeImprovementPlan: (data, options) => write('improvement_plan', data, options),
    storeImplementationLog: (data, options) => write('implementation_log', data, options),
    storeEvaluationResults: (data, options) => write('evaluation_results', data, options),
  };
}
