import type { JourneyGraph, Milestone, MilestoneCompletion } from '../core/journey.js';
import type { JsonObject } from '../core/json.js';
import type { TokenCounts } from '../core/token-counts.js';

/** A completion to record; the store assigns `revision`. */
export interface MilestoneCompletionDraft {
  milestone: string;
  data: JsonObject;
  keyDecisions: string[];
  tokens: TokenCounts;
  completedAt: string;
}

export interface UserCompletions {
  completions: MilestoneCompletion[];
  /** Grows on every completion of the user; 0 before the first. */
  generation: number;
}

/** Milestone graphs per tenant and milestone completions per (tenant, user). Every method is scoped by tenant. */
export interface JourneyStore {
  /** The tenant's own graph; undefined when it never put one (the engine then uses the default graph). */
  getGraph(tenantId: string): Promise<JourneyGraph | undefined>;
  /**
   * Replaces the tenant's graph (already validated: acyclic, known dependencies) with version = previous + 1.
   * `expectedVersion` (0 = none yet): ConflictError `journey_version_conflict` when the stored version differs.
   */
  putGraph(tenantId: string, milestones: Milestone[], now: string, expectedVersion?: number | undefined): Promise<JourneyGraph>;
  /**
   * Records a completion atomically with its precondition: every milestone of `requires` must already be completed
   * by the user, else ConflictError `milestone_dependencies_incomplete` (details.missing). Completing again replaces
   * the data with revision + 1.
   */
  complete(
    tenantId: string,
    userId: string,
    draft: MilestoneCompletionDraft,
    requires: string[],
  ): Promise<{ completion: MilestoneCompletion; generation: number }>;
  /**
   * The user's generation (0 before the first completion) and the version of the tenant's graph (0 when it never put
   * one), without reading either: what a cache key needs.
   */
  generations(tenantId: string, userId: string): Promise<{ generation: number; graphVersion: number }>;
  /** The user's completions, in completion order. */
  listCompletions(tenantId: string, userId: string): Promise<UserCompletions>;
}
