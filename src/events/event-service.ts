import type { PubSubPort } from '../cache/pubsub-port.js';
import type { EventContext, EventQuery, EventRecord } from '../core/event-context.js';
import type { Page } from '../core/page.js';
import type { Store } from '../store/store.js';
import { type CheckpointResult, HotTierCheckpoints, type RestoreResult } from './checkpoints.js';
import { ColdWriter, type ColdWriterStats } from './cold-writer.js';
import { type BatchEnvelope, ContextGateway, type EventStats } from './context-gateway.js';
import { type ChainLink, type ConversationSummary, Conversations } from './conversations.js';
import type { EmitContextInput, EmitOptions } from './emit-input.js';
import { EventCounters } from './event-counters.js';
import type { EmittedEvent, EventHandler, EventHandlerErrorListener, EventListener } from './event-router.js';
import { EventRouter } from './event-router.js';
import { EventStream } from './event-stream.js';
import type { EventsConfig } from './events-config.js';
import { type HotEntry, HotTier, type HotTierStats } from './hot-tier/hot-tier.js';
import { type RecoveredState, type SnapshotResult, Snapshots } from './snapshots.js';

export interface EventHealth {
  status: 'ok' | 'degraded' | 'down';
  hot: HotTierStats & { maxAgeMs: number };
  cold: ColdWriterStats & { ok: boolean; backend: string; flushIntervalMs: number; detail?: string | undefined };
}

/** `engine.events`: the router, the gateway and the tiers behind them. */
export interface EventService {
  emit(name: string, data?: unknown, context?: EmitContextInput, options?: EmitOptions): Promise<EmittedEvent>;
  on(name: string, handler: EventHandler): () => void;
  /** Every stored event as it happens: this instance's, and the other instances' once `connectInstances` ran. */
  subscribe(listener: EventListener): () => void;
  /** Streams events between instances through a pub/sub (Redis). */
  connectInstances(pubsub: PubSubPort, instanceId: string): Promise<void>;
  onHandlerError(listener: EventHandlerErrorListener): () => void;
  resolve(tenantId: string, ref: string): Promise<EventContext>;
  /** The whole record (with its data when it comes from the cold tier); undefined when unknown. */
  find(tenantId: string, ref: string): Promise<EventRecord | undefined>;
  resolveBatch(tenantId: string, refs: readonly string[]): Promise<Record<string, EventContext | null>>;
  /** `resolveBatch`'s answer as JSON text (`{"<ref>":<context>|null,…}`), written without building objects. */
  resolveBatchJson(tenantId: string, refs: readonly string[]): Promise<string>;
  /** `resolveBatchJson` as UTF-8 bytes, written without strings; within `envelope` (ASCII `before` and `after`) if given. */
  resolveBatchBytes(tenantId: string, refs: readonly string[], envelope?: BatchEnvelope): Promise<Buffer>;
  query(tenantId: string, query: EventQuery & { eventId?: string | undefined }): Promise<Page<EventRecord>>;
  stats(tenantId: string): Promise<EventStats>;
  health(): Promise<EventHealth>;
  /** Saves the hot tier (after flushing the cold tier) atomically, with a checksum; the previous file becomes `.prev`. */
  saveCheckpoint(path: string, entries?: Iterable<HotEntry>): Promise<CheckpointResult>;
  /**
   * Restores a checkpoint into the hot tier (and the cold tier, idempotently). By default a torn or corrupted file is
   * passed over for `<path>.prev`; `strict` refuses it instead (ValidationError `checkpoint_corrupted`).
   */
  restoreCheckpoint(path: string, options?: { strict?: boolean }): Promise<RestoreResult>;
  /** Stores an orchestration state snapshot as the context of a `<kind>:state` event (durably). */
  snapshot(kind: string, state: unknown, context?: EmitContextInput): Promise<SnapshotResult>;
  /** A snapshot's state; re-emitted as `<kind>:recovered` (a child of the snapshot) unless `reemit: false`. */
  recover(tenantId: string, ref: string, options?: { reemit?: boolean }): Promise<RecoveredState>;
  /** The references of a session, oldest first (conversation continuity). */
  sessionChain(tenantId: string, sessionId: string, page?: { cursor?: string; limit?: number }): Promise<Page<ChainLink>>;
  /** An agent's conversation: latest session, status, chain length and its latest resolved contexts. */
  agentConversation(tenantId: string, agentId: string, options?: { limit?: number }): Promise<ConversationSummary>;
  /** Writes every buffered event to the cold tier now. */
  flush(): Promise<void>;
  readonly maxDepth: number;
  /** The tiers, for checkpoints, tests and benchmarks. */
  readonly hot: HotTier;
  readonly router: EventRouter;
  /** Flushes buffered events (the engine calls it on close). */
  close(): Promise<void>;
}

export interface EventServiceOptions {
  store: Store;
  requireTenant: (tenantId: string) => Promise<void>;
  config: EventsConfig;
  /** The hot tier's clock (tests). */
  now?: (() => number) | undefined;
}

/** How often the hot tier is swept for aged events: a quarter of its age limit, between 250 ms and a minute. */
export function hotSweepIntervalMs(maxAgeMs: number): number {
  return Math.min(60_000, Math.max(250, Math.floor(maxAgeMs / 4)));
}

export function createEventService(options: EventServiceOptions): EventService {
  const { store, requireTenant, config } = options;
  const hot = new HotTier({
    maxAgeMs: config.hotMaxAgeMs,
    maxEvents: config.hotMaxEvents,
    maxBytes: config.hotMaxBytes,
    now: options.now,
  });
  const cold = new ColdWriter(store.eventContexts, { flushIntervalMs: config.flushIntervalMs });
  const counters = new EventCounters();
  const router = new EventRouter({ hot, cold, counters, requireTenant, maxDepth: config.maxDepth });
  const stream = new EventStream(router);
  const checkpoints = new HotTierCheckpoints(hot, router, cold, config.hotMaxAgeMs);
  // Inserts evict what has aged; the sweep does it when nothing new arrives (an idle server keeps no day-old events).
  const sweep = setInterval(() => hot.evictExpired(), hotSweepIntervalMs(config.hotMaxAgeMs));
  sweep.unref();
  const gateway = new ContextGateway({ hot, cold, store: store.eventContexts, counters, requireTenant });
  const conversations = new Conversations(gateway);
  const snapshots = new Snapshots(router, gateway);

  return {
    emit: (name, data, context, emitOptions) => router.emit(name, data, context, emitOptions),
    on: (name, handler) => router.on(name, handler),
    subscribe: (listener) => stream.subscribe(listener),
    connectInstances: (pubsub, instanceId) => stream.connect(pubsub, instanceId),
    onHandlerError: (listener) => router.onHandlerError(listener),
    resolve: (tenantId, ref) => gateway.resolve(tenantId, ref),
    find: (tenantId, ref) => gateway.find(tenantId, ref),
    resolveBatch: (tenantId, refs) => gateway.resolveBatch(tenantId, refs),
    resolveBatchJson: (tenantId, refs) => gateway.resolveBatchJson(tenantId, refs),
    resolveBatchBytes: (tenantId, refs, envelope) => gateway.resolveBatchBytes(tenantId, refs, envelope),
    query: (tenantId, query) => gateway.query(tenantId, query),
    stats: (tenantId) => gateway.stats(tenantId),
    async health() {
      const backend = await store.health();
      const writer = cold.stats();
      const failing = writer.pending > 0 && writer.failedWrites > 0;
      return {
        status: !backend.ok ? 'down' : failing ? 'degraded' : 'ok',
        hot: { ...hot.stats(), maxAgeMs: config.hotMaxAgeMs },
        cold: {
          ...writer,
          ok: backend.ok,
          backend: backend.backend,
          flushIntervalMs: cold.flushIntervalMs,
          detail: backend.detail,
        },
      };
    },
    flush: () => cold.flush(),
    snapshot: (kind, state, context) => snapshots.snapshot(kind, state, context),
    recover: (tenantId, ref, options) => snapshots.recover(tenantId, ref, options),
    sessionChain: (tenantId, sessionId, page) => conversations.sessionChain(tenantId, sessionId, page),
    agentConversation: (tenantId, agentId, options) => conversations.agentConversation(tenantId, agentId, options),
    saveCheckpoint: (path, entries) => checkpoints.save(path, entries),
    restoreCheckpoint: (path, restoreOptions) => checkpoints.restore(path, restoreOptions),
    maxDepth: router.maxDepth,
    hot,
    router,
    async close() {
      clearInterval(sweep);
      await stream.close();
      await cold.close();
    },
  };
}
