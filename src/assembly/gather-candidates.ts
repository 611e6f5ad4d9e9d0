import type { ContextVersion } from '../core/context-version.js';
import type { Milestone } from '../core/journey.js';
import type { SessionState } from '../core/session-message.js';
import type { TokenEncoding } from '../core/token-counts.js';
import type { AssemblyCandidate } from './assembly-candidate.js';
import type { JourneyState } from './journey-service.js';
import type { KnowledgeCandidate } from './knowledge-source.js';
import { transitiveDependencies } from './milestone-graph.js';
import { type RecencyPolicy, recencyWeight } from './recency.js';
import { type RenderItem, renderFraming, renderSegment } from './render.js';
import type { SegmentCounter } from './segment-counter.js';

export interface GatherInputs {
  documents: Array<{ key: string; version: ContextVersion | undefined }>;
  session: SessionState | undefined;
  journey: JourneyState | undefined;
  knowledge: KnowledgeCandidate[];
  milestone: string | null;
}

export interface GatherOptions {
  encoding: TokenEncoding;
  nowMs: number;
  recency: RecencyPolicy;
  counter: SegmentCounter;
}

/**
 * Every candidate, in the order of the rendered text: named documents (request order), journey (completion order),
 * knowledge (best first), session (oldest first, next to the query). Estimates use the counts stored at write plus
 * the block's framing (a block's tokens are its framing's plus its body's: render.ts); a document version written
 * before its counts were stored is counted once per version text and remembered.
 */
export function gatherCandidates(inputs: GatherInputs, options: GatherOptions): AssemblyCandidate[] {
  const { encoding, nowMs, recency, counter } = options;
  const framing = (item: RenderItem) => counter.count(encoding, renderFraming(item));
  const candidates: AssemblyCandidate[] = [];

  for (const { key, version } of inputs.documents) {
    if (version === undefined || version.deleted) {
      candidates.push({
        layer: 'documents',
        id: key,
        version: version?.version,
        estimate: 0,
        score: 1,
        recencyWeight: 1,
        unavailable: version === undefined ? 'not_found' : 'deleted',
      });
      continue;
    }
    const item: RenderItem = {
      layer: 'documents',
      key,
      version: version.version,
      source: version.source,
      author: version.author,
      createdAt: version.createdAt,
      value: version.value,
    };
    candidates.push({
      layer: 'documents',
      id: key,
      version: version.version,
      createdAt: version.createdAt,
      // the count stored with the version; versions written before migration 0012 are counted here (remembered)
      estimate:
        version.tokenCounts === undefined
          ? counter.count(encoding, renderSegment(item))
          : version.tokenCounts[encoding] + framing(item),
      score: 1,
      recencyWeight: 1,
      item,
    });
  }

  if (inputs.journey !== undefined) {
    const { graph, completions } = inputs.journey;
    const byId = new Map<string, Milestone>(graph.milestones.map((milestone) => [milestone.id, milestone]));
    const current = inputs.milestone === null ? undefined : byId.get(inputs.milestone);
    const direct = new Set(current?.dependsOn ?? []);
    const indirect = current === undefined ? new Set<string>() : transitiveDependencies(graph.milestones, current.id);
    for (const completion of completions) {
      const item: RenderItem = {
        layer: 'journey',
        milestone: completion.milestone,
        name: byId.get(completion.milestone)?.name ?? completion.milestone,
        revision: completion.revision,
        completedAt: completion.completedAt,
        keyDecisions: completion.keyDecisions,
        data: completion.data,
      };
      const score =
        current === undefined
          ? 0.7
          : completion.milestone === current.id || direct.has(completion.milestone)
            ? 1
            : indirect.has(completion.milestone)
              ? 0.8
              : 0.5;
      candidates.push({
        layer: 'journey',
        id: completion.milestone,
        version: completion.revision,
        createdAt: completion.completedAt,
        estimate: completion.tokens[encoding] + framing(item),
        score,
        recencyWeight: recencyWeight(completion.completedAt, nowMs, recency),
        item,
      });
    }
  }

  for (const result of inputs.knowledge) {
    const item: RenderItem = {
      layer: 'knowledge',
      id: result.id,
      ...(result.chunkId === undefined ? {} : { chunkId: result.chunkId }),
      text: result.text,
      score: result.score,
      createdAt: result.createdAt,
      ...(result.milestone === undefined ? {} : { milestone: result.milestone }),
      metadata: result.metadata,
    };
    candidates.push({
      layer: 'knowledge',
      id: result.chunkId ?? result.id,
      createdAt: result.createdAt,
      // The count in the assembly's encoding when the search gave it (chunks written before 0008: o200k_base's).
      estimate: (result.tokenCounts?.[encoding] ?? result.tokens) + framing(item),
      score: Math.min(1, Math.max(0, result.score)),
      recencyWeight: recencyWeight(result.createdAt, nowMs, recency),
      item,
    });
  }

  const messages = inputs.session?.messages ?? [];
  messages.forEach((message, index) => {
    const item: RenderItem = {
      layer: 'session',
      id: message.id,
      role: message.role,
      content: message.content,
      createdAt: message.createdAt,
    };
    candidates.push({
      layer: 'session',
      id: message.id,
      createdAt: message.createdAt,
      estimate: message.tokens[encoding] + framing(item),
      // The newest message scores 1, the oldest about 0.5: continuity first.
      score: 0.5 + (0.5 * (index + 1)) / messages.length,
      recencyWeight: recencyWeight(message.createdAt, nowMs, recency),
      item,
    });
  });
  return candidates;
}
