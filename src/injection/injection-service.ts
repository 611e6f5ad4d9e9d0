import { sessionIdSchema } from '../assembly/session-schemas.js';
import { BackendUnavailableError } from '../core/errors.js';
import type { ContextPacket, StreamInput } from '../core/injection.js';
import type { InjectionRuleStore } from '../store/injection-rule-store.js';
import { type Scheduler, systemScheduler } from '../streaming/scheduler.js';
import type { TenantService } from '../tenants/tenant-service.js';
import { parseWith } from '../validation/parse.js';
import { tenantIdSchema } from '../validation/schemas.js';
import type { InjectionConfig } from './injection-config.js';
import type { InjectionMessage } from './injection-message.js';
import { InjectionMetrics, type TenantInjectionCounts } from './injection-metrics.js';
import { InjectionStream, type InjectionStreamOptions } from './injection-stream.js';
import type { BreakerState } from './resilience/breaker-registry.js';
import type { DegradationLevel } from './resilience/degradation.js';
import { Deliverer } from './resilience/deliverer.js';
import { type DelivererConfigInput, resolveDelivererConfig } from './resilience/deliverer-config.js';
import type { RulePacketBuilder } from './rule-packet.js';
import { type InjectionRulesView, type PutRulesInput, RuleSets } from './rule-sets.js';
import { type ConversationTrackerOptions, createTrackerConfig } from './rules/tracker-config.js';
import { streamInputSchema } from './stream-input-schema.js';
import { memoizeTokenCount } from './token-count-memo.js';

/** `GET /v1/tenants/:tenant/injection/stats`: this instance's figures for the tenant. */
export interface InjectionStats extends TenantInjectionCounts {
  tenantId: string;
  streams: number;
  /** Injections waiting (for a sync point, or for a slow consumer) across the tenant's streams. */
  queueDepth: number;
  /** Circuit breakers of the tenant's streams that are not closed. */
  breakers: Record<string, BreakerState>;
  degradation: DegradationLevel;
}

/** Figures across every tenant of this process. */
export interface InjectionTotals {
  streams: number;
  queueDepth: number;
  /** Circuit breakers by state (closed ones not counted). */
  breakers: Record<Exclude<BreakerState, 'closed'>, number>;
  degradation: DegradationLevel;
}

/** The injection engine (seed 003): rules per tenant, live streams, delivery, figures. */
export interface InjectionService {
  getRules(tenantId: string): Promise<InjectionRulesView>;
  putRules(tenantId: string, input: PutRulesInput): Promise<InjectionRulesView>;
  /** The live stream of a session, opened on first use (NotFoundError for an unknown tenant; 503 when full). */
  stream(tenantId: string, sessionId: string, options?: InjectionStreamOptions): Promise<InjectionStream>;
  /** The request/response path: feeds inputs in order, then answers the injections due for this client. */
  handle(tenantId: string, sessionId: string, inputs: unknown[]): Promise<InjectionMessage[]>;
  /** Queues a packet into a session's stream at a synchronization point (on-demand injection). */
  inject(tenantId: string, sessionId: string, packet: ContextPacket, at?: 'turn-end' | 'silence' | 'immediate'): Promise<string>;
  stats(tenantId: string): Promise<InjectionStats>;
  /** This process's figures across tenants (for /metrics, which carries no tenant labels). */
  totals(): InjectionTotals;
  readonly metrics: InjectionMetrics;
  readonly deliverer: Deliverer;
  close(): Promise<void>;
}

export interface InjectionServiceOptions {
  config: InjectionConfig;
  store: InjectionRuleStore;
  tenants: TenantService;
  assemble: RulePacketBuilder;
  countTokens: (text: string) => number;
  scheduler?: Scheduler | undefined;
  /** The system load in [0, 1] the degradation level reads (default: event-loop utilisation). */
  load?: (() => number) | undefined;
  onError?: ((error: unknown) => void) | undefined;
}

export function createInjectionService(options: InjectionServiceOptions): InjectionService {
  const { config, tenants } = options;
  const scheduler = options.scheduler ?? systemScheduler;
  const metrics = new InjectionMetrics();
  const rules = new RuleSets({ store: options.store, tenants, refreshMs: config.rulesRefreshMs, now: () => scheduler.now() });
  const deliverer = new Deliverer({
    config: resolveDelivererConfig(config.delivery as DelivererConfigInput),
    clock: () => scheduler.now(),
    load: options.load,
  });
  const onError = options.onError ?? (() => {});
  const deps = {
    config,
    trackerConfig: createTrackerConfig(config.tracker as ConversationTrackerOptions),
    deliverer,
    metrics,
    scheduler,
    countTokens: memoizeTokenCount(options.countTokens),
    rules: (tenantId: string) => rules.compiled(tenantId),
    assemble: options.assemble,
    onError,
  };
  const streams = new Map<string, InjectionStream>();
  const opening = new Map<string, Promise<InjectionStream>>();

  const timer = setInterval(() => sweep(), config.tickMs);
  timer.unref();

  /** Ticks every stream (time-based rules, expiry) and closes the idle ones without a consumer. */
  function sweep(): void {
    const now = scheduler.now();
    for (const [id, stream] of streams) {
      if (stream.attached === 0 && now - stream.lastActivity >= config.idleMs) {
        close(id, stream);
        continue;
      }
      try {
        stream.tick(now);
      } catch (error) {
        onError(error);
      }
    }
  }

  function close(id: string, stream: InjectionStream): void {
    streams.delete(id);
    stream.close();
    deliverer.forgetSink(`${stream.tenantId}/${stream.sessionId}`);
  }

  async function stream(tenantId: string, sessionId: string, streamOptions?: InjectionStreamOptions): Promise<InjectionStream> {
    parseWith(tenantIdSchema, tenantId, 'tenant id');
    parseWith(sessionIdSchema, sessionId, 'session id');
    const id = `${tenantId}\u0000${sessionId}`;
    const live = streams.get(id);
    if (live !== undefined) return live;
    const pending = opening.get(id);
    if (pending !== undefined) return pending;
    const open = (async () => {
      await tenants.get(tenantId);
      await rules.compiled(tenantId);
      const existing = streams.get(id);
      if (existing !== undefined) return existing;
      if (streams.size >= config.maxStreams)
        throw new BackendUnavailableError(`This instance holds its maximum of ${config.maxStreams} live streams; retry later.`, {
          code: 'too_many_streams',
        });
      const created = new InjectionStream(tenantId, sessionId, deps, streamOptions);
      streams.set(id, created);
      return created;
    })().finally(() => opening.delete(id));
    opening.set(id, open);
    return open;
  }

  async function handle(tenantId: string, sessionId: string, inputs: unknown[]): Promise<InjectionMessage[]> {
    const parsed = inputs.map((input, index) => parseWith(streamInputSchema, input, `stream event ${index}`));
    const live = await stream(tenantId, sessionId);
    for (const input of parsed as StreamInput[]) await live.input(input);
    return live.pull();
  }

  return {
    getRules: (tenantId) => rules.get(tenantId),
    putRules: (tenantId, input) => rules.put(tenantId, input),
    stream,
    handle,
    async inject(tenantId, sessionId, packet, at = 'immediate') {
      return (await stream(tenantId, sessionId)).inject(packet, at).id;
    },
    async stats(tenantId) {
      parseWith(tenantIdSchema, tenantId, 'tenant id');
      await tenants.get(tenantId);
      let count = 0;
      let queueDepth = 0;
      const breakers: Record<string, BreakerState> = {};
      for (const live of streams.values()) {
        if (live.tenantId !== tenantId) continue;
        count += 1;
        queueDepth += live.queueDepth;
        const state = deliverer.breakerState(`${tenantId}/${live.sessionId}`);
        if (state !== 'closed') breakers[live.sessionId] = state;
      }
      return { tenantId, streams: count, queueDepth, breakers, degradation: deliverer.level(), ...metrics.tenant(tenantId) };
    },
    totals() {
      const breakers = { open: 0, 'half-open': 0, isolated: 0 };
      for (const state of Object.values(deliverer.breakerStates())) if (state !== 'closed') breakers[state] += 1;
      let queueDepth = 0;
      for (const live of streams.values()) queueDepth += live.queueDepth;
      return { streams: streams.size, queueDepth, breakers, degradation: deliverer.level() };
    },
    metrics,
    deliverer,
    async close() {
      clearInterval(timer);
      for (const [id, live] of streams) close(id, live);
      await deliverer.close();
    },
  };
}
