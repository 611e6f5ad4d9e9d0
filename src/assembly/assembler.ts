import { randomUUID } from 'node:crypto';
import type { CachePort } from '../cache/cache-port.js';
import type { AssemblyRecord, LayerWeights, ManifestEntry } from '../core/assembly.js';
import type { ContextVersion } from '../core/context-version.js';
import type { JsonValue } from '../core/json.js';
import { renderForProvider } from '../providers/index.js';
import type { AssemblyItemSnapshot, AssemblyStore } from '../store/assembly-store.js';
import type { ContextStore } from '../store/context-store.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { sha256Hex } from '../updates/content-hash.js';
import { parseWith } from '../validation/parse.js';
import { tenantIdSchema } from '../validation/schemas.js';
import { type AssembleInput, assembleRequestSchema, type ParsedAssembleInput } from './assemble-schemas.js';
import { AssemblyCache } from './assembly-cache.js';
import type { AssemblyCandidate } from './assembly-candidate.js';
import type { AssemblyConfig } from './assembly-config.js';
import { assemblyCacheKey } from './assembly-key.js';
import { AssemblyMetrics, type ContextMetrics } from './assembly-metrics.js';
import { type AssemblyRecords, createAssemblyRecords } from './assembly-records.js';
import type { AssemblyResult } from './assembly-result.js';
import { buildPacket } from './build-packet.js';
import { composeText } from './compose-text.js';
import { gatherCandidates } from './gather-candidates.js';
import type { JourneyService, JourneyState } from './journey-service.js';
import { withoutScore } from './knowledge-snapshot.js';
import type { KnowledgeCandidate, KnowledgeSource } from './knowledge-source.js';
import { availableMilestones } from './milestone-graph.js';
import { effectiveBudget, resolveModelTokenizer } from './model-tokenizer.js';
import { type RecencyPolicy, recencyEndsAt } from './recency.js';
import { PREAMBLE, RENDERER_VERSION } from './render.js';
import type { ReplayResult } from './replay-assembly.js';
import type { SegmentCounter } from './segment-counter.js';
import { densityOf, selectItems } from './select-items.js';
import type { SessionService } from './session-service.js';
import { SnapshotHasher } from './snapshot-hasher.js';

/** Builds the context a model sees now, under a token budget, explains it, and replays it. */
export interface Assembler {
  assemble(tenantId: string, input: AssembleInput): Promise<AssemblyResult>;
  /** The stored record (manifest with the exact versions used); NotFoundError `assembly_not_found`. */
  get(tenantId: string, id: string): Promise<AssemblyRecord>;
  /** Rebuilds the identical text from the recorded versions and snapshots. */
  replay(tenantId: string, id: string): Promise<ReplayResult>;
  /** This process's figures for a tenant (seed 002's ContextMetrics). */
  contextMetrics(tenantId: string): Promise<ContextMetrics>;
  readonly metrics: AssemblyMetrics;
  /** Waits for the assembly records still being written (they are written behind the answer). */
  flush(): Promise<void>;
}

export interface AssemblerOptions {
  tenants: TenantService;
  contexts: ContextStore;
  sessions: SessionService;
  journeys: JourneyService;
  knowledge?: KnowledgeSource | undefined;
  assemblies: AssemblyStore;
  counter: SegmentCounter;
  config: AssemblyConfig;
  /** The shared cache (Redis) when configured. */
  sharedCache?: CachePort | undefined;
  now?: (() => number) | undefined;
}

export function createAssembler(options: AssemblerOptions): Assembler {
  const { tenants, contexts, sessions, journeys, knowledge, counter, config } = options;
  const clock = options.now ?? Date.now;
  const cache = new AssemblyCache({ maxEntries: config.cache.maxEntries, shared: options.sharedCache, now: clock });
  const metrics = new AssemblyMetrics();
  const records: AssemblyRecords = createAssemblyRecords({ store: options.assemblies, contexts, counter, config, now: clock });
  const snapshotHasher = new SnapshotHasher();
  const recency: RecencyPolicy = { windowMs: config.recency.windowHours * 3_600_000, factor: config.recency.factor };

  function weightsOf(input: ParsedAssembleInput): LayerWeights {
    const merged = { ...config.weights, ...input.weights };
    const sum = merged.session + merged.journey + merged.knowledge;
    if (sum <= 0) return { ...config.weights };
    return { session: merged.session / sum, journey: merged.journey / sum, knowledge: merged.knowledge / sum };
  }

  async function assemble(tenantId: string, raw: AssembleInput): Promise<AssemblyResult> {
    const started = performance.now();
    parseWith(tenantIdSchema, tenantId, 'tenant id');
    const input = parseWith(assembleRequestSchema, raw, 'assemble request');
    await tenants.require(tenantId);
    // The provider request is rendered on top of the (cached) assembly: format and messages are not in its key.
    const withRequest = (result: AssemblyResult): AssemblyResult =>
      input.format === undefined
        ? result
        : {
            ...result,
            ...renderForProvider(input.format, { packet: result.packet, text: result.text, messages: input.messages ?? [] }),
          };
    const tokenizer = resolveModelTokenizer(input.model);
    const budget = input.budget ?? config.defaultBudget;
    const blocksBudget = effectiveBudget(budget, tokenizer);
    const weights = weightsOf(input);
    const nowMs = clock();

    // The hit path reads only what the key needs: each input's generation, never the session's messages or the
    // journey's completions (read below, on a miss).
    const [documents, sessionGeneration, journeyGenerations, knowledgeGeneration] = await Promise.all([
      Promise.all(
        input.documents.map(async (key) => ({
          key,
          version: (await contexts.getCurrent(tenantId, key)) as ContextVersion | undefined,
        })),
      ),
      input.sessionId === undefined ? undefined : sessions.generation(tenantId, input.sessionId),
      input.userId === undefined ? undefined : journeys.generations(tenantId, input.userId),
      knowledge?.generation(tenantId),
    ]);
    const request = {
      query: input.query,
      ...(input.userId === undefined ? {} : { userId: input.userId }),
      ...(input.sessionId === undefined ? {} : { sessionId: input.sessionId }),
      ...(input.milestone === undefined ? {} : { milestone: input.milestone }),
      documents: input.documents,
      budget,
      weights,
      ...(input.model === undefined ? {} : { model: input.model }),
    };
    const keyRequest = { ...request, knowledge: (input.knowledge ?? null) as JsonValue } as JsonValue;
    const documentVersions = documents.map(({ key: documentKey, version }): [string, number | null] => [
      documentKey,
      version?.version ?? null,
    ]);
    const keyOf = (session: number | undefined, journey: { generation: number; graphVersion: number } | undefined) =>
      assemblyCacheKey(tenantId, {
        request: keyRequest,
        documents: documentVersions,
        session: session ?? null,
        journey: journey === undefined ? null : { generation: journey.generation, graph: journey.graphVersion },
        knowledge: knowledgeGeneration ?? null,
      });
    const probeKey = keyOf(sessionGeneration, journeyGenerations);
    const hit = await cache.get(tenantId, probeKey);
    if (hit !== undefined) {
      metrics.record({ tenantId, cached: true, durationMs: performance.now() - started, tokens: hit.tokens });
      return withRequest({ ...hit, cached: true });
    }

    // Generation 0: the tenant never had knowledge, there is nothing to search. The search depends on neither the
    // session nor the journey, so it starts first: what it does off the main thread (the vector index's worker) then
    // overlaps their reads. Its error, if any, is still raised after theirs, as when it started after them.
    const searching =
      knowledge === undefined || knowledgeGeneration === 0
        ? undefined
        : startedNow(() =>
            knowledge.search(tenantId, {
              query: input.query,
              topK: input.knowledge?.topK ?? config.knowledge.topK,
              threshold: input.knowledge?.threshold ?? config.knowledge.threshold,
              ...(input.knowledge?.filter === undefined ? {} : { filter: input.knowledge.filter }),
              ...(input.knowledge?.mode === undefined ? {} : { mode: input.knowledge.mode }),
            }),
          );
    const [session, journey] = await Promise.all([
      input.sessionId === undefined ? undefined : sessions.get(tenantId, input.sessionId),
      input.userId === undefined ? undefined : journeys.state(tenantId, input.userId),
    ]);
    const found: KnowledgeCandidate[] = searching === undefined ? [] : (await searching).results;
    const { milestone, next } = currentMilestone(input.milestone, journey);
    // The result is cached under the generations of the data it was built from (a write may have landed since the
    // probe): a key never names data older than what its entry holds. Mostly nothing landed: the probe's key is it.
    const unchanged =
      session?.generation === sessionGeneration &&
      journey?.generation === journeyGenerations?.generation &&
      journey?.graph.version === journeyGenerations?.graphVersion;
    const key = unchanged
      ? probeKey
      : keyOf(
          session?.generation,
          journey === undefined ? undefined : { generation: journey.generation, graphVersion: journey.graph.version },
        );

    const candidates = gatherCandidates(
      { documents, session: session?.messages.length ? session : undefined, journey, knowledge: found, milestone },
      { encoding: tokenizer.encoding, nowMs, recency, counter },
    );
    const decisions = selectItems(candidates, {
      budget: Math.max(0, blocksBudget - counter.count(tokenizer.encoding, PREAMBLE)),
      weights,
    });
    candidates.forEach((candidate, index) => {
      if (candidate.unavailable !== undefined) decisions[index] = { included: false, reason: candidate.unavailable };
    });
    const composed = composeText(candidates, decisions, blocksBudget, tokenizer.encoding, counter);

    const assemblyId = `asm_${randomUUID()}`;
    const createdAt = new Date(nowMs).toISOString();
    const snapshots: AssemblyItemSnapshot[] = [];
    const knowledgeScores: Record<string, number> = {};
    const manifest: ManifestEntry[] = composed.manifest.map((entry, index) => {
      const candidate = candidates[index] as AssemblyCandidate;
      const item = candidate.item;
      if (!entry.included || candidate.layer === 'documents' || item === undefined) return entry;
      // A knowledge chunk is snapshotted without the query's score (kept in the record), so its snapshot is the same
      // at every use and written once, not once per assembly.
      const payload = (item.layer === 'knowledge' ? withoutScore(item) : item) as unknown as JsonValue;
      const hash = snapshotHasher.hash(payload);
      snapshots.push({ hash, payload });
      if (item.layer === 'knowledge') knowledgeScores[hash] = item.score;
      return { ...entry, contentHash: hash };
    });
    const sessionExpiry = session?.messages.length ? session.expiresAt : undefined;
    const ttlMs = cacheTtl(nowMs, config.cache.ttlSeconds * 1000, sessionExpiry, candidates, recency);
    const completed = journey?.completions.map((completion) => completion.milestone) ?? [];
    const dependencies = journey?.graph.milestones.find((entry) => entry.id === milestone)?.dependsOn ?? [];
    const packet = buildPacket(
      composed.included.flatMap((candidate) => (candidate.item === undefined ? [] : [candidate.item])),
      {
        query: input.query,
        milestone,
        next,
        completed,
        dependencies,
        focus: [...composed.included]
          .sort((left, right) => densityOf(right) - densityOf(left))
          .slice(0, 5)
          .map((candidate) => candidate.id),
        metadata: {
          assemblyId,
          createdAt,
          priority: 50,
          criticality: 'important',
          ttlMs,
          conditions: [],
          source: 'assembler',
          budget,
          model: tokenizer.model,
          encoding: tokenizer.encoding,
          approximate: tokenizer.approximate,
        },
      },
    );
    const result: AssemblyResult = { assemblyId, packet, text: composed.text, tokens: composed.tokens, manifest, cached: false };
    const { information: _information, ...packetWithoutInformation } = packet;
    records.save(
      {
        id: assemblyId,
        tenantId,
        createdAt,
        request,
        encoding: tokenizer.encoding,
        effectiveBudget: blocksBudget,
        tokens: composed.tokens,
        manifest,
        packet: packetWithoutInformation,
        textHash: sha256Hex(composed.text),
        rendererVersion: RENDERER_VERSION,
        knowledgeScores,
      },
      snapshots,
    );
    await cache.set(tenantId, key, result, ttlMs);
    metrics.record({ tenantId, cached: false, durationMs: performance.now() - started, tokens: composed.tokens });
    return withRequest(result);
  }

  return {
    assemble,
    async get(tenantId, id) {
      parseWith(tenantIdSchema, tenantId, 'tenant id');
      await tenants.require(tenantId);
      return records.get(tenantId, id);
    },
    async replay(tenantId, id) {
      parseWith(tenantIdSchema, tenantId, 'tenant id');
      await tenants.require(tenantId);
      return records.replay(tenantId, id);
    },
    async contextMetrics(tenantId) {
      parseWith(tenantIdSchema, tenantId, 'tenant id');
      await tenants.require(tenantId);
      return metrics.of(tenantId);
    },
    metrics,
    flush: () => records.flush(),
  };
}

/**
 * Calls `call` now and answers its promise: a synchronous throw becomes a rejection, and a rejection that lands
 * before the caller awaits it (or when the caller fails first and never does) is not reported as unhandled.
 */
function startedNow<T>(call: () => Promise<T>): Promise<T> {
  let promise: Promise<T>;
  try {
    promise = call();
  } catch (error) {
    promise = Promise.reject(error);
  }
  promise.catch(() => undefined);
  return promise;
}

/** The milestone the user is on (the request's, else the first available) and the one after it. */
function currentMilestone(requested: string | undefined, journey: JourneyState | undefined) {
  if (journey === undefined) return { milestone: requested ?? null, next: null };
  const done = new Set(journey.completions.map((completion) => completion.milestone));
  const available = availableMilestones(journey.graph.milestones, done);
  const milestone = requested ?? available[0] ?? null;
  return { milestone, next: available.find((id) => id !== milestone) ?? null };
}

/** The cache TTL, cut short by the session's expiry and by the first item that stops being recent. */
function cacheTtl(
  nowMs: number,
  ttlMs: number,
  sessionExpiresAt: string | undefined,
  candidates: readonly AssemblyCandidate[],
  recency: RecencyPolicy,
): number {
  let until = nowMs + ttlMs;
  if (sessionExpiresAt !== undefined) until = Math.min(until, Date.parse(sessionExpiresAt));
  for (const candidate of candidates) {
    const end = recencyEndsAt(candidate.createdAt, nowMs, recency);
    if (end !== undefined) until = Math.min(until, end);
  }
  return Math.max(0, until - nowMs);
}
