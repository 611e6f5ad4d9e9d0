import type { ContextPacket, Injection, StreamInput, SyncPoint } from '../core/injection.js';
import type { ProviderFormat } from '../providers/provider-format.js';
import { BaseStreamInjector } from '../streaming/base-injector.js';
import type { InjectionResult } from '../streaming/injection-interface.js';
import type { Scheduler } from '../streaming/scheduler.js';
import { createModePolicy, type ModePolicy, type StreamMode } from '../streaming/stream-modes.js';
import { StreamSession } from '../streaming/stream-session.js';
import { dedupFilter } from './delivery/filters/dedup-filter.js';
import { priorityFilter } from './delivery/filters/priority-filter.js';
import { relevanceFilter } from './delivery/filters/relevance-filter.js';
import { tokenLimitFilter } from './delivery/filters/token-limit-filter.js';
import { StreamQueue } from './delivery/stream-queue.js';
import type { InjectionConfig } from './injection-config.js';
import { type InjectionMessage, injectionMessage } from './injection-message.js';
import type { InjectionMetrics } from './injection-metrics.js';
import type { Deliverer } from './resilience/deliverer.js';
import type { DeliveryResult } from './resilience/delivery-result.js';
import { type RulePacketBuilder, rulePacket } from './rule-packet.js';
import type { CompiledRuleSet } from './rules/compile-rules.js';
import { ConversationTracker } from './rules/conversation-tracker.js';
import { evaluate, type RuleFiring, tick } from './rules/evaluate-rules.js';
import type { TrackerConfig } from './rules/tracker-config.js';
import { MailboxSink, type StreamTransport, TransportSink } from './stream-transport.js';

/** Everything a stream shares with the other streams of its service. */
export interface InjectionStreamDeps {
  config: InjectionConfig;
  trackerConfig: TrackerConfig;
  deliverer: Deliverer;
  metrics: InjectionMetrics;
  scheduler: Scheduler;
  countTokens: (text: string) => number;
  /** The tenant's rules, compiled (synchronous while the cache is fresh). */
  rules: (tenantId: string) => CompiledRuleSet | Promise<CompiledRuleSet>;
  /** Builds the packet of an `assemble` rule. */
  assemble: RulePacketBuilder;
  /** Told of errors nobody awaits (an assembly that failed); never of stored content. */
  onError: (error: unknown) => void;
}

export interface InjectionStreamOptions {
  mode?: StreamMode | undefined;
  format?: ProviderFormat | undefined;
  /** The user's earlier sessions (→ relationship new / returning / familiar). */
  priorSessions?: number | undefined;
  /** Deliveries count as confirmed only once the client sends `{ type: "ack", id }` (default: on write). */
  ackRequired?: boolean | undefined;
}

class DeliveryFailure extends Error {
  constructor(readonly result: DeliveryResult) {
    super(result.reason ?? result.outcome);
  }
}

/**
 * One live conversation stream of a tenant (seed 003): each input updates the conversation tracker, the tenant's
 * rules decide what to inject, prepared packets wait in a priority buffer for their synchronization point, pass the
 * filters, and go out through the streaming session (observers, hooks, backpressure, deadlines) and the resilient
 * deliverer to the attached transport — or wait for the client to pull them.
 */
export class InjectionStream {
  readonly tenantId: string;
  readonly sessionId: string;
  readonly session: StreamSession;
  readonly tracker: ConversationTracker;
  readonly queue: StreamQueue;
  lastActivity: number;
  readonly #deps: InjectionStreamDeps;
  readonly #injector: BaseStreamInjector;
  readonly #sink: TransportSink;
  readonly #mailbox: MailboxSink;
  readonly #format: ProviderFormat;
  readonly #ackRequired: boolean;
  readonly #texts = new Map<string, string>();
  #lastUserText = '';
  #tail: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(tenantId: string, sessionId: string, deps: InjectionStreamDeps, options: InjectionStreamOptions = {}) {
    this.tenantId = tenantId;
    this.sessionId = sessionId;
    this.#deps = deps;
    const { config, scheduler } = deps;
    const now = scheduler.now();
    this.lastActivity = now;
    this.#format = options.format ?? config.format;
    this.#ackRequired = options.ackRequired ?? false;
    const streamId = `${tenantId}/${sessionId}`;
    this.#sink = new TransportSink(streamId, (injection) => this.message(injection));
    this.#mailbox = new MailboxSink(`${streamId}#mailbox`, config.outboundLimit);
    this.tracker = new ConversationTracker({ startedAt: now, priorSessions: options.priorSessions, config: deps.trackerConfig });
    this.queue = new StreamQueue({
      buffer: { maxItems: config.bufferLimit },
      filters: [
        priorityFilter({ minPriority: config.minPriority }),
        relevanceFilter({ minScore: config.minRelevance, scoreOf: packetRelevance }),
        dedupFilter({ windowMs: config.dedupWindowMs }),
        tokenLimitFilter({ maxPerDelivery: config.maxTokensPerInjection }),
      ],
      level: () => deps.deliverer.level(),
      onOutcome: (injection, outcome, reason) => this.#count(injection, outcome, reason),
    });
    this.#injector = new BaseStreamInjector({
      tenantId,
      sessionId,
      scheduler,
      countTokens: deps.countTokens,
      render: (packet) => this.#renderedText(packet),
      deliver: (injection) => this.#deliver(injection),
    });
    this.session = new StreamSession({
      streamId,
      scheduler,
      injector: this.#injector,
      mode: this.#modePolicy(options.mode ?? config.mode),
      outbound: { limit: config.outboundLimit },
      onObserverError: deps.onError,
    });
    this.session.start({ tenantId, sessionId });
  }

  /** Processes one client input, in order with the others. */
  input(input: StreamInput): Promise<void> {
    const run = this.#tail.then(() => this.#process(input));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Queues a packet from outside the rules (on-demand injection by the application). */
  inject(packet: ContextPacket, at: SyncPoint = 'immediate'): Injection {
    return this.#offer(packet, at, undefined);
  }

  /** The injections ready for a client that pulls (passive mode, HTTP), best first, and any escalated ones. */
  pull(): InjectionMessage[] {
    const taken = [...this.session.pull(), ...this.#mailbox.take()];
    return taken.map((injection) => this.message(injection));
  }

  /** Attaches a consumer; ready injections go out to it at once. Returns the detach function. */
  attach(transport: StreamTransport): () => void {
    const detach = this.#sink.attach(transport);
    this.lastActivity = this.#deps.scheduler.now();
    this.session.flush();
    return () => {
      detach();
      this.lastActivity = this.#deps.scheduler.now();
    };
  }

  get attached(): number {
    return this.#sink.attached;
  }

  get queueDepth(): number {
    return this.queue.buffer.size + this.session.queueDepth;
  }

  /** The time path: time-based rules (every T ms, schedules, silences) and expiry of buffered injections. */
  tick(now: number): void {
    if (this.#closed) return;
    const rules = this.#deps.rules(this.tenantId);
    if (rules instanceof Promise) return void rules.catch(this.#deps.onError);
    for (const firing of tick(rules, this.tracker, now)) this.#fire(firing);
    this.queue.buffer.expire(now);
  }

  message(injection: Injection): InjectionMessage {
    return injectionMessage(injection, this.#format, this.#texts.get(injection.id));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.session.end();
    this.#texts.clear();
  }

  async #process(input: StreamInput): Promise<void> {
    if (this.#closed) return;
    const now = this.#deps.scheduler.now();
    this.lastActivity = now;
    if (input.type === 'message' && input.role === 'user') this.#lastUserText = input.content.slice(0, 2_000);
    const loaded = this.#deps.rules(this.tenantId);
    const rules = loaded instanceof Promise ? await loaded : loaded;
    const started = performance.now();
    const firings = evaluate(rules, this.tracker, input, now);
    this.#deps.metrics.decision(this.tenantId, (performance.now() - started) * 1000);
    await this.session.input(input);
    for (const firing of firings) this.#fire(firing);
    for (const injection of this.queue.input(input, now)) this.#admit(injection);
  }

  #fire(firing: RuleFiring): void {
    const { rule } = firing;
    const built = rulePacket(
      firing,
      { tenantId: this.tenantId, sessionId: this.sessionId, lastUserText: this.#lastUserText },
      this.#deps.assemble,
    );
    if (!(built instanceof Promise)) {
      this.#offer(built.packet, rule.at, rule.id);
      return;
    }
    built.then(
      ({ packet, text }) => {
        if (!this.#closed) this.#offer(packet, rule.at, rule.id, text);
      },
      (error: unknown) => {
        this.#deps.metrics.outcome(this.tenantId, rule.inject.criticality, 'failed', 'assembly_failed');
        this.#deps.onError(error);
      },
    );
  }

  #offer(packet: ContextPacket, at: SyncPoint, ruleId: string | undefined, text?: string): Injection {
    const injection = this.#injector.prepare(packet, { at, ruleId });
    if (text !== undefined) this.#texts.set(injection.id, text);
    this.#count(injection, 'prepared', ruleId === undefined ? 'on_demand' : 'rule');
    const { due } = this.queue.offer(injection, this.#deps.scheduler.now());
    for (const ready of due) this.#admit(ready);
    return injection;
  }

  #admit(injection: Injection): void {
    if (this.#closed) return;
    this.session.admit(injection).then(
      (result) => this.#settled(result),
      (error: unknown) => this.#deps.onError(error),
    );
  }

  #settled(result: InjectionResult): void {
    const { injection } = result;
    const failure = result.error instanceof DeliveryFailure ? result.error.result : undefined;
    if (failure?.outcome === 'requeue') {
      // Back to the buffer for the next sync point. A refusal (it ranks lowest in a full buffer, or its TTL has
      // passed) is counted by the buffer itself (`dropped:overflow`, `expired:ttl`): counting it here too would
      // give the injection two endings.
      if (this.queue.requeue(injection, this.#deps.scheduler.now())) return;
    } else if (failure !== undefined) {
      this.#count(injection, failure.outcome, failure.reason ?? failure.outcome);
    } else {
      this.#count(injection, result.outcome, result.reason ?? (result.outcome === 'delivered' ? 'ok' : result.outcome));
      if (result.outcome === 'delivered' && !this.#ackRequired) this.#injector.confirm(injection.id);
    }
    this.#texts.delete(injection.id);
    // A confirmed delivery frees one of the injector's slots: push what waits behind it.
    if (!this.#closed) this.session.flush();
  }

  async #deliver(injection: Injection): Promise<void> {
    const first = await this.#deps.deliverer.deliver(injection, { sink: this.#sink, fallback: this.#mailbox });
    const result = first.outcome === 'retrying' && first.background !== undefined ? await first.background : first;
    if (result.outcome !== 'delivered') throw new DeliveryFailure(result);
  }

  #count(injection: Injection, outcome: string, reason: string): void {
    this.#deps.metrics.outcome(this.tenantId, injection.packet.metadata.criticality, outcome, reason);
  }

  #renderedText(packet: ContextPacket): string {
    const rendered = injectionMessage({ packet } as Injection, 'text').rendered as { text?: string };
    return rendered.text ?? '';
  }

  #modePolicy(mode: StreamMode): ModePolicy {
    const base = createModePolicy(mode);
    return { mode, shouldPush: (injection) => this.#sink.attached > 0 && base.shouldPush(injection) };
  }
}

/** An assembled packet's relevance: the best score of its knowledge items (other packets carry none and pass). */
function packetRelevance(injection: Injection): number | undefined {
  const knowledge = injection.packet.information?.knowledge;
  if (!Array.isArray(knowledge) || knowledge.length === 0) return undefined;
  let best: number | undefined;
  for (const item of knowledge) {
    const score = typeof item === 'object' && item !== null && !Array.isArray(item) ? item.score : undefined;
    if (typeof score === 'number' && (best === undefined || score > best)) best = score;
  }
  return best;
}
