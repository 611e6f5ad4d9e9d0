import type { JourneyGraph, Milestone, MilestoneCompletion } from '../../core/journey.js';
import { dependenciesIncompleteError, journeyVersionConflictError } from '../journey-errors.js';
import type { JourneyStore, MilestoneCompletionDraft, UserCompletions } from '../journey-store.js';
import { tenantNotFoundError } from '../store-errors.js';

interface MemoryUser {
  completions: Map<string, MilestoneCompletion>;
  generation: number;
}

/** Graphs by tenant and completions by (tenant, user), in maps. */
export class MemoryJourneyStore implements JourneyStore {
  readonly #graphs = new Map<string, JourneyGraph>();
  readonly #users = new Map<string, MemoryUser>();
  readonly #tenantExists: (tenantId: string) => boolean;

  constructor(tenantExists: (tenantId: string) => boolean) {
    this.#tenantExists = tenantExists;
  }

  async getGraph(tenantId: string): Promise<JourneyGraph | undefined> {
    const graph = this.#graphs.get(tenantId);
    return graph === undefined ? undefined : structuredClone(graph);
  }

  async putGraph(tenantId: string, milestones: Milestone[], now: string, expectedVersion?: number): Promise<JourneyGraph> {
    if (!this.#tenantExists(tenantId)) throw tenantNotFoundError(tenantId);
    const current = this.#graphs.get(tenantId)?.version ?? 0;
    if (expectedVersion !== undefined && expectedVersion !== current) throw journeyVersionConflictError(expectedVersion, current);
    const graph: JourneyGraph = { tenantId, milestones: structuredClone(milestones), version: current + 1, updatedAt: now };
    this.#graphs.set(tenantId, graph);
    return structuredClone(graph);
  }

  async complete(tenantId: string, userId: string, draft: MilestoneCompletionDraft, requires: string[]) {
    if (!this.#tenantExists(tenantId)) throw tenantNotFoundError(tenantId);
    const id = userKey(tenantId, userId);
    const user = this.#users.get(id) ?? { completions: new Map<string, MilestoneCompletion>(), generation: 0 };
    const missing = requires.filter((milestone) => !user.completions.has(milestone));
    if (missing.length > 0) throw dependenciesIncompleteError(draft.milestone, missing);
    const previous = user.completions.get(draft.milestone);
    const completion: MilestoneCompletion = {
      ...structuredClone(draft),
      tenantId,
      userId,
      revision: (previous?.revision ?? 0) + 1,
    };
    // A completion made again moves to the end: completions are kept in completion order.
    user.completions.delete(draft.milestone);
    user.completions.set(draft.milestone, completion);
    user.generation += 1;
    this.#users.set(id, user);
    return { completion: structuredClone(completion), generation: user.generation };
  }

  async generations(tenantId: string, userId: string): Promise<{ generation: number; graphVersion: number }> {
    return {
      generation: this.#users.get(userKey(tenantId, userId))?.generation ?? 0,
      graphVersion: this.#graphs.get(tenantId)?.version ?? 0,
    };
  }

  async listCompletions(tenantId: string, userId: string): Promise<UserCompletions> {
    const user = this.#users.get(userKey(tenantId, userId));
    if (user === undefined) return { completions: [], generation: 0 };
    return { completions: structuredClone([...user.completions.values()]), generation: user.generation };
  }
}

function userKey(tenantId: string, userId: string): string {
  return JSON.stringify([tenantId, userId]);
}
