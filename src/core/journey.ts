import type { JsonObject, JsonValue } from './json.js';
import type { TokenCounts } from './token-counts.js';

/** One node of a milestone dependency graph. */
export interface Milestone {
  id: string;
  name: string;
  description?: string | undefined;
  /** Milestones that must be completed first. */
  dependsOn: string[];
}

/** A tenant's milestone dependency graph (acyclic), in its declared order. */
export interface JourneyGraph {
  tenantId: string;
  milestones: Milestone[];
  /** 0 for the built-in default graph; 1, 2, … for each graph the tenant put. */
  version: number;
  updatedAt: string;
}

/** A user's completion of a milestone: its data and key decisions. Completing again replaces it (revision + 1). */
export interface MilestoneCompletion {
  tenantId: string;
  userId: string;
  milestone: string;
  data: JsonObject;
  keyDecisions: string[];
  /** Counted once, when the completion was written, on its rendered text (see assembly/render). */
  tokens: TokenCounts;
  revision: number;
  completedAt: string;
}

export type MilestoneStatus = 'completed' | 'available' | 'locked';

/** A user's journey over the tenant's graph. */
export interface UserJourney {
  tenantId: string;
  userId: string;
  graphVersion: number;
  milestones: Array<{
    id: string;
    name: string;
    dependsOn: string[];
    status: MilestoneStatus;
    completedAt?: string | undefined;
    keyDecisions?: string[] | undefined;
    data?: JsonValue | undefined;
  }>;
  /** The first available milestone in graph order (null when every milestone is done or none is reachable). */
  current: string | null;
  completed: number;
  total: number;
  /** 0–100. */
  percent: number;
  /** Changes on every completion of this user. */
  generation: number;
}
