import type { UpdateSource } from './update-source.js';

export type ApprovalDecision = 'auto' | 'review';

/** Decides whether an update applies at once or waits for a reviewer. Content flags always force review. */
export interface ApprovalPolicy {
  sources: Record<UpdateSource, ApprovalDecision>;
  /** A proposal with a confidence below this always needs review. */
  minConfidence: number;
}

/** A tenant's overrides of the engine's policy; absent fields keep the engine's values. */
export interface ApprovalPolicyOverrides {
  sources?: Partial<Record<UpdateSource, ApprovalDecision>> | undefined;
  minConfidence?: number | undefined;
}

/** Seed 000: agent insights and best practices auto-apply, human uploads and suggestions need review. */
export const DEFAULT_APPROVAL_POLICY: Readonly<ApprovalPolicy> = Object.freeze({
  sources: Object.freeze({
    analysis_agent: 'auto',
    best_practice_update: 'auto',
    api: 'auto',
    human_upload: 'review',
    agent_suggestion: 'review',
    cross_client_pattern: 'review',
    document_processor: 'review',
  }),
  minConfidence: 0.6,
}) as Readonly<ApprovalPolicy>;
