import { type ApprovalPolicy, type ApprovalPolicyOverrides, DEFAULT_APPROVAL_POLICY } from '../core/approval-policy.js';
import type { ContentFlag } from '../core/context-update.js';
import type { UpdateSource } from '../core/update-source.js';

/** The policy in force for a tenant: its overrides over the engine's defaults. */
export function effectivePolicy(
  overrides: ApprovalPolicyOverrides | undefined,
  defaults: ApprovalPolicy = DEFAULT_APPROVAL_POLICY,
): ApprovalPolicy {
  return {
    sources: { ...defaults.sources, ...(overrides?.sources ?? {}) },
    minConfidence: overrides?.minConfidence ?? defaults.minConfidence,
  };
}

/** Why an update needs review; an empty list means it may apply at once. */
export function reviewReasons(
  policy: ApprovalPolicy,
  proposal: { source: UpdateSource; confidence?: number | undefined; flags: readonly ContentFlag[] },
): string[] {
  const reasons: string[] = [];
  if (policy.sources[proposal.source] === 'review') reasons.push(`policy: source ${proposal.source} needs review`);
  if (proposal.confidence !== undefined && proposal.confidence < policy.minConfidence) {
    reasons.push(`confidence ${proposal.confidence} is below ${policy.minConfidence}`);
  }
  for (const flag of proposal.flags) reasons.push(`content flag: ${flag}`);
  return reasons;
}
