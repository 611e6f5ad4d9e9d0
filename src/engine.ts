import { randomUUID } from 'node:crypto';
import type { Assembler } from './assembly/assembler.js';
import { createAssemblyServices } from './assembly/create-assembly-services.js';
import { documentTokenCounter } from './assembly/document-token-counts.js';
import { gptTokenizers } from './assembly/gpt-tokenizer-set.js';
import type { JourneyService } from './assembly/journey-service.js';
import { scheduleSessionPurge } from './assembly/session-purge.js';
import type { SessionService } from './assembly/session-service.js';
import { type ApiKeyService, createApiKeyService } from './auth/api-key-service.js';
import type { CachePort } from './cache/cache-port.js';
import { createCache, createPubSub } from './cache/create-cache.js';
import type { PubSubPort } from './cache/pubsub-port.js';
import type { EngineConfig, EngineConfigInput } from './config/engine-config.js';
import { parseConfig } from './config/load-config.js';
import { type ContextService, createContextService } from './contexts/context-service.js';
import { UnsupportedError } from './core/errors.js';
import { connectBusFanout } from './events/bus-fanout.js';
import { createEngineEvents } from './events/engine-events-wiring.js';
import { createEventBus, type EventBus } from './events/event-bus.js';
import type { EventService } from './events/event-service.js';
import { assemblyPackets } from './injection/assembly-packets.js';
import { eventLoopLoad } from './injection/event-loop-load.js';
import { createInjectionService, type InjectionService } from './injection/injection-service.js';
import { createEmbedder } from './knowledge/create-embedder.js';
import { createKnowledgeService } from './knowledge/create-knowledge-service.js';
import type { KnowledgeService } from './knowledge/knowledge-service.js';
import { createRunService, type RunService } from './runs/run-service.js';
import { createMemoryStore } from './store/memory/create-memory-store.js';
import { RedisSessionStore } from './store/redis/redis-session-store.js';
import { createPostgresStore } from './store/sql/postgres/create-postgres-store.js';
import { createSqliteStore } from './store/sql/sqlite/create-sqlite-store.js';
import type { Store } from './store/store.js';
import { createTenantService, type TenantService } from './tenants/tenant-service.js';
import { effectivePolicy } from './updates/approval-decision.js';
import { createUpdateService, type UpdateService } from './updates/update-service.js';

/** The library entry point: every service the server and CLI use. */
export interface Engine {
  readonly config: EngineConfig;
  readonly store: Store;
  readonly bus: EventBus;
  readonly tenants: TenantService;
  readonly contexts: ContextService;
  readonly updates: UpdateService;
  readonly apiKeys: ApiKeyService;
  /** Event contexts (seed 004): emit with propagation, resolve / query references, hot and cold tiers. */
  readonly events: EventService;
  /** Shared run context for multi-agent pipelines (seed 001). */
  readonly runs: RunService;
  /** The knowledge layer (seed 002): chunked items, lexical + vector search, metadata filters. */
  readonly knowledge: KnowledgeService;
  /** The session layer (seed 002): last N messages, token cap, sliding TTL; in Redis when `redisUrl` is set. */
  readonly sessions: SessionService;
  /** Milestone graphs, completions and transitions (seed 002). */
  readonly journeys: JourneyService;
  /** Layered context under a token budget, explained by a manifest, cached, replayable (seed 002). */
  readonly assembler: Assembler;
  /** Injection into live conversation streams (seed 003): rules, streams, delivery. */
  readonly injection: InjectionService;
  /** This process's id among the instances sharing a database and Redis. */
  readonly instanceId: string;
  /** Rebuildable, expiring values shared by instances (Redis when `redisUrl` is set, else in memory). */
  readonly cache: CachePort;
  /** Cross-instance messages; with Redis, every bus event also reaches the other instances' buses. */
  readonly pubsub: PubSubPort;
  /** Shared rate-limit windows: only with Redis (without it, each server counts on its own). */
  readonly rateLimitCache: CachePort | undefined;
  close(): Promise<void>;
}

export interface CreateEngineOptions {
  /** Use this store instead of the one `databaseUrl` names (tests, embedding). */
  store?: Store | undefined;
}

/** Opens the store named by `databaseUrl` (running migrations). Only engine.ts, server/ and cli/ pick backends. */
export async function openStore(config: EngineConfig): Promise<Store> {
  const url = config.databaseUrl;
  if (url === 'memory:') return createMemoryStore();
  if (url.startsWith('sqlite:')) return createSqliteStore({ path: url.slice('sqlite:'.length) });
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return createPostgresStore({ url });
  throw new UnsupportedError(`The database ${url.split(':')[0]} is not supported; use memory:, sqlite:<path> or postgres://…`, {
    code: 'database_unsupported',
  });
}

/** Creates an engine from a configuration (validated with zod; defaults completed). */
export async function createEngine(
  input: EngineConfigInput | EngineConfig = {},
  options: CreateEngineOptions = {},
): Promise<Engine> {
  const config = parseConfig(input);
  const store = options.store ?? (await openStore(config));
  const bus = createEventBus();
  const defaults = effectivePolicy(config.approval);
  const tenants = createTenantService(store.tenants, bus, defaults);
  const updates = createUpdateService({
    store: store.contexts,
    tenants,
    bus,
    maxValueBytes: config.limits.maxValueBytes,
    countTokens: documentTokenCounter(gptTokenizers),
  });
  const contexts = createContextService(store.contexts, tenants, updates);
  const apiKeys = createApiKeyService(store.apiKeys, tenants);
  const runs = createRunService({
    store: store.runs,
    tenants,
    bus,
    config: config.runs,
    maxValueBytes: config.limits.maxValueBytes,
  });
  const knowledge = createKnowledgeService({
    store: store.knowledge,
    tenants,
    embedder: createEmbedder(config.knowledge.embedder),
    config: config.knowledge,
  });
  const instanceId = randomUUID();
  const cache = await createCache({ redisUrl: config.redisUrl, prefix: 'ctx:t:' });
  const rateLimitCache = config.redisUrl ? await createCache({ redisUrl: config.redisUrl, prefix: 'ctx:rate:' }) : undefined;
  const pubsub = await createPubSub({ redisUrl: config.redisUrl });
  const disconnectFanout = config.redisUrl ? await connectBusFanout(bus, pubsub, { instanceId }) : undefined;
  const events = await createEngineEvents({ config, store, tenants, bus, pubsub, instanceId });
  const redisSessions = config.redisUrl ? await RedisSessionStore.open({ url: config.redisUrl }) : undefined;
  const { sessions, journeys, assembler } = createAssemblyServices({
    config: config.assembly,
    store,
    sessionStore: redisSessions ?? store.sessions,
    tenants,
    bus,
    knowledge,
    sharedCache: config.redisUrl ? cache : undefined,
  });
  // With Redis the sessions expire natively; on SQL this instance forgets the expired ones now and then.
  const stopSessionPurge = redisSessions
    ? () => {}
    : scheduleSessionPurge(sessions, config.assembly.session.purgeEveryMs, () => {});
  const o200k = gptTokenizers.get('o200k_base');
  const injection = createInjectionService({
    config: config.injection,
    store: store.injectionRules,
    tenants,
    assemble: assemblyPackets(assembler),
    countTokens: (text) => o200k.count(text),
    load: eventLoopLoad(),
  });
  let closed = false;
  return {
    config,
    store,
    bus,
    tenants,
    contexts,
    updates,
    apiKeys,
    events,
    runs,
    knowledge,
    sessions,
    journeys,
    assembler,
    injection,
    instanceId,
    cache,
    pubsub,
    rateLimitCache,
    async close() {
      if (closed) return;
      closed = true;
      runs.close();
      stopSessionPurge();
      try {
        await injection.close();
        await events.close();
        await assembler.flush();
        await redisSessions?.close();
        await disconnectFanout?.();
        await Promise.all([pubsub.close(), cache.close(), rateLimitCache?.close()]);
      } finally {
        // The store closes even when one of the above failed: it alone holds data.
        await store.close();
      }
    },
  };
}
