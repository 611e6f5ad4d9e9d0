import { NotFoundError } from '../core/errors.js';
import type { JourneyGraph, MilestoneCompletion, UserJourney } from '../core/journey.js';
import type { JsonObject } from '../core/json.js';
import type { EventBus } from '../events/event-bus.js';
import type { JourneyStore } from '../store/journey-store.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { parseWith } from '../validation/parse.js';
import { tenantIdSchema } from '../validation/schemas.js';
import {
  type CompleteMilestoneInput,
  completeMilestoneSchema,
  milestoneIdSchema,
  type PutJourneyInput,
  putJourneySchema,
  userIdSchema,
} from './journey-schemas.js';
import { availableMilestones, DEFAULT_MILESTONES, validateMilestoneGraph } from './milestone-graph.js';
import { journeyBody } from './render.js';
import type { TokenizerSet } from './tokenizer.js';

/** `milestone.progress`'s `progress` of a completed milestone (seed 002 publishes per-milestone progress, 0–100). */
const MILESTONE_DONE = 100;

/** What completing a milestone answers (seed 002's complete_milestone). */
export interface MilestoneTransition {
  completed: string;
  /** The milestone the user is on now: the first available one in graph order (null when none). */
  next: string | null;
  /** Every milestone available now. */
  available: string[];
  /** The key data of `next`'s dependencies, by milestone. */
  context: Record<string, { completedAt: string; keyDecisions: string[]; data: JsonObject }>;
  completion: MilestoneCompletion;
}

/** A user's state as the assembler reads it. */
export interface JourneyState {
  graph: JourneyGraph;
  completions: MilestoneCompletion[];
  generation: number;
}

export interface JourneyService {
  /** The tenant's graph, or seed 002's M0–M9 graph (version 0) when it put none. */
  getGraph(tenantId: string): Promise<JourneyGraph>;
  /** Replaces the graph; ValidationError for cycles, unknown dependencies or duplicates (nothing changes). */
  putGraph(tenantId: string, input: PutJourneyInput): Promise<JourneyGraph>;
  complete(tenantId: string, userId: string, milestone: string, input?: CompleteMilestoneInput): Promise<MilestoneTransition>;
  getJourney(tenantId: string, userId: string): Promise<UserJourney>;
  state(tenantId: string, userId: string): Promise<JourneyState>;
  /** The generation and graph version `state` would report, without reading the graph or the completions. */
  generations(tenantId: string, userId: string): Promise<{ generation: number; graphVersion: number }>;
}

export interface JourneyServiceOptions {
  store: JourneyStore;
  tenants: TenantService;
  bus: EventBus;
  tokenizers: TokenizerSet;
  now?: (() => number) | undefined;
}

export function createJourneyService(options: JourneyServiceOptions): JourneyService {
  const { store, tenants, bus, tokenizers } = options;
  const clock = options.now ?? Date.now;

  async function scope(tenantId: string, userId?: string): Promise<void> {
    parseWith(tenantIdSchema, tenantId, 'tenant id');
    if (userId !== undefined) parseWith(userIdSchema, userId, 'user id');
    await tenants.require(tenantId);
  }

  async function getGraph(tenantId: string): Promise<JourneyGraph> {
    const stored = await store.getGraph(tenantId);
    return (
      stored ?? {
        tenantId,
        // A fresh copy per call (callers may change it); plain copying, as structuredClone is slow for what it is.
        milestones: DEFAULT_MILESTONES.map((milestone) => ({ ...milestone, dependsOn: [...milestone.dependsOn] })),
        version: 0,
        updatedAt: new Date(0).toISOString(),
      }
    );
  }

  async function state(tenantId: string, userId: string): Promise<JourneyState> {
    const [graph, user] = await Promise.all([getGraph(tenantId), store.listCompletions(tenantId, userId)]);
    return { graph, completions: user.completions, generation: user.generation };
  }

  function summarise(tenantId: string, userId: string, current: JourneyState): UserJourney {
    const done = new Map(current.completions.map((completion) => [completion.milestone, completion]));
    const completedIds = new Set(done.keys());
    const available = new Set(availableMilestones(current.graph.milestones, completedIds));
    const milestones = current.graph.milestones.map((milestone) => {
      const completion = done.get(milestone.id);
      return {
        id: milestone.id,
        name: milestone.name,
        dependsOn: milestone.dependsOn,
        status:
          completion !== undefined
            ? ('completed' as const)
            : available.has(milestone.id)
              ? ('available' as const)
              : ('locked' as const),
        ...(completion === undefined
          ? {}
          : { completedAt: completion.completedAt, keyDecisions: completion.keyDecisions, data: completion.data }),
      };
    });
    const completed = milestones.filter((milestone) => milestone.status === 'completed').length;
    const total = milestones.length;
    return {
      tenantId,
      userId,
      graphVersion: current.graph.version,
      milestones,
      current: [...available][0] ?? null,
      completed,
      total,
      percent: total === 0 ? 0 : Math.round((completed / total) * 100),
      generation: current.generation,
    };
  }

  return {
    async getGraph(tenantId) {
      await scope(tenantId);
      return getGraph(tenantId);
    },
    async putGraph(tenantId, input) {
      const parsed = parseWith(putJourneySchema, input, 'journey graph');
      await scope(tenantId);
      const milestones = validateMilestoneGraph(
        parsed.milestones.map((milestone) => ({
          id: milestone.id,
          name: milestone.name ?? milestone.id,
          ...(milestone.description === undefined ? {} : { description: milestone.description }),
          dependsOn: milestone.dependsOn,
        })),
      );
      return store.putGraph(tenantId, milestones, new Date(clock()).toISOString(), parsed.expectedVersion);
    },
    async complete(tenantId, userId, milestoneId, input = {}) {
      parseWith(milestoneIdSchema, milestoneId, 'milestone');
      const parsed = parseWith(completeMilestoneSchema, input, 'milestone completion');
      await scope(tenantId, userId);
      const graph = await getGraph(tenantId);
      const milestone = graph.milestones.find((candidate) => candidate.id === milestoneId);
      if (milestone === undefined) {
        throw new NotFoundError(`Milestone "${milestoneId}" is not in the tenant's journey graph.`, {
          code: 'milestone_not_found',
          details: { milestone: milestoneId },
        });
      }
      const data = parsed.data as JsonObject;
      const tokens = tokenizers.countAll(
        journeyBody({ milestone: milestone.id, name: milestone.name, keyDecisions: parsed.keyDecisions, data }),
      );
      const completedAt = new Date(clock()).toISOString();
      const { completion } = await store.complete(
        tenantId,
        userId,
        { milestone: milestone.id, data, keyDecisions: parsed.keyDecisions, tokens, completedAt },
        milestone.dependsOn,
      );
      const after = await state(tenantId, userId);
      const journey = summarise(tenantId, userId, after);
      const done = new Map(after.completions.map((entry) => [entry.milestone, entry]));
      const available = availableMilestones(after.graph.milestones, new Set(done.keys()));
      const next = available[0] ?? null;
      const nextMilestone = after.graph.milestones.find((candidate) => candidate.id === next);
      const context: MilestoneTransition['context'] = {};
      for (const dependency of nextMilestone?.dependsOn ?? []) {
        const entry = done.get(dependency);
        if (entry !== undefined)
          context[dependency] = { completedAt: entry.completedAt, keyDecisions: entry.keyDecisions, data: entry.data };
      }
      bus.emit('milestone.completed', { tenantId, userId, milestone: milestone.id, completion, next });
      // Seed 002's publish_progress(user, milestone, progress): `progress` is the completion (0–100) of the milestone
      // named, and the seed publishes it once, with 100, when that milestone is completed. The engine has no partial
      // milestone progress, so it is always MILESTONE_DONE here; the journey's figures are `completed` of `total`
      // milestones of the current graph and `percent` (their rounded ratio), as GET …/users/:userId/journey answers.
      bus.emit('milestone.progress', {
        tenantId,
        userId,
        milestone: milestone.id,
        progress: MILESTONE_DONE,
        completed: journey.completed,
        total: journey.total,
        percent: journey.percent,
      });
      return { completed: milestone.id, next, available, context, completion };
    },
    async getJourney(tenantId, userId) {
      await scope(tenantId, userId);
      return summarise(tenantId, userId, await state(tenantId, userId));
    },
    async state(tenantId, userId) {
      await scope(tenantId, userId);
      return state(tenantId, userId);
    },
    async generations(tenantId, userId) {
      await scope(tenantId, userId);
      return store.generations(tenantId, userId);
    },
  };
}
