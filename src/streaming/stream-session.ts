import { ConflictError } from '../core/errors.js';
import type { ContextPacket, Injection, StreamInput } from '../core/injection.js';
import type { JsonObject } from '../core/json.js';
import { BackpressureQueue, type DropReason } from './backpressure-queue.js';
import { type EventIteratorOptions, StreamEventIterator } from './event-iterator.js';
import type { InjectionResult, PrepareOptions, StreamInjector } from './injection-interface.js';
import type { Scheduler } from './scheduler.js';
import type { DistributiveOmit, StreamEvent, StreamSummary } from './stream-event.js';
import type { StreamHooks } from './stream-hooks.js';
import { markerOf } from './stream-marker.js';
import { createModePolicy, type ModePolicy } from './stream-modes.js';
import { type ObserverErrorListener, ObserverSubject, type StreamObserver } from './stream-observer.js';
import { type PendingCondition, type PendingInjection, type StreamMarker, TimeSensitiveInjections } from './time-sensitive.js';

export interface StreamSessionOptions {
  streamId: string;
  scheduler: Scheduler;
  injector: StreamInjector;
  /** Default: active. */
  mode?: ModePolicy;
  /** Hooks, possibly shared by every session of a service. */
  hooks?: StreamHooks;
  /** Bounds of the outbound injection queue (default limit 64). */
  outbound?: { limit?: number; highWatermark?: number; lowWatermark?: number };
  onObserverError?: ObserverErrorListener;
}

/** Whether `input` went through (a `beforeInput` hook may veto it). */
export type InputResult = { accepted: true } | { accepted: false; reason: string };

const DEFAULT_MODE = createModePolicy('active');

/**
 * One live stream: takes client inputs, publishes events to observers and `for await` consumers, and carries
 * injections from preparation through their marker or deadline to delivery (pushed or pulled, per the mode),
 * under a bounded outbound queue. Transport-neutral: a WebSocket, SSE or HTTP route feeds `input()` and
 * supplies the injector's `deliver`.
 */
export class StreamSession {
  readonly streamId: string;
  readonly #options: StreamSessionOptions;
  readonly #subject: ObserverSubject;
  readonly #outbound: BackpressureQueue<Injection>;
  readonly #pending: TimeSensitiveInjections;
  #consumers: Set<StreamEventIterator> | undefined;
  #state: 'idle' | 'open' | 'ended' = 'idle';
  #tail: Promise<unknown> | undefined;
  readonly #summary: StreamSummary = { inputs: 0, prepared: 0, delivered: 0, dropped: 0, failed: 0 };

  constructor(options: StreamSessionOptions) {
    this.streamId = options.streamId;
    this.#options = options;
    this.#subject = new ObserverSubject(options.onObserverError);
    this.#outbound = new BackpressureQueue<Injection>({
      limit: 64,
      ...options.outbound,
      order: 'priority',
      onDrop: (injection, reason) => this.#onDropped(injection, reason),
    });
    this.#pending = new TimeSensitiveInjections({
      scheduler: options.scheduler,
      release: (injection) => this.#onReady(injection),
      withdraw: (injection) => this.#outbound.remove((queued) => queued.id === injection.id),
      onUnsettled: (result) => this.#publishResult(result, 'push'),
    });
  }

  get mode(): ModePolicy {
    return this.#options.mode ?? DEFAULT_MODE;
  }
  get state(): 'idle' | 'open' | 'ended' {
    return this.#state;
  }
  get summary(): Readonly<StreamSummary> {
    return this.#summary;
  }

  observe(observer: StreamObserver): () => void {
    return this.#subject.add(observer);
  }

  /** A `for await` view of this stream's events from now on, with its own bounded buffer. */
  events(options: Omit<EventIteratorOptions, 'onClose'> = {}): StreamEventIterator {
    this.#consumers ??= new Set();
    const consumers = this.#consumers;
    const iterator = new StreamEventIterator({ ...options, onClose: () => consumers.delete(iterator) });
    if (this.#state === 'ended') iterator.close();
    else consumers.add(iterator);
    return iterator;
  }

  start(metadata?: JsonObject): void {
    if (this.#state !== 'idle') throw new ConflictError(`stream ${this.streamId} has already started`);
    this.#state = 'open';
    this.#publish({ type: 'stream.start', ...(metadata ? { metadata } : {}) });
    this.#flush();
  }

  /** Processes one client input, in order with the previous ones (hooks may be async). */
  input(input: StreamInput): Promise<InputResult> {
    this.#assertNotEnded();
    if (this.#state === 'idle') this.start();
    const run = (this.#tail ?? Promise.resolve()).then(() => this.#process(input));
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** The consumer stopped reading: injections queue (bounded) until `resume`. */
  pause(reason: string): void {
    this.#outbound.pause();
    this.#publish({ type: 'pause', reason });
  }

  resume(): void {
    this.#outbound.resume();
    this.#publish({ type: 'resume' });
    this.#flush();
  }

  /** Ends the stream: pending injections fail with `stream_ended`, consumers finish after reading the end. */
  end(): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    this.#pending.cancelPending(undefined, 'stream_ended');
    this.#publish({ type: 'end', summary: { ...this.#summary } });
    for (const consumer of [...(this.#consumers ?? [])]) consumer.close();
  }

  /** Reports a stream error to observers and consumers, then ends the stream. */
  fail(error: Error): void {
    if (this.#state === 'ended') return;
    this.#publish({ type: 'error', error });
    this.end();
  }

  canInject(): boolean {
    return this.#state !== 'ended' && !this.#outbound.paused && this.#options.injector.canInject(this.#options.scheduler.now());
  }

  /** Prepares and delivers at the packet's synchronization point (`options.at`, default `turn-end`). */
  inject(packet: ContextPacket, options: PrepareOptions = {}): Promise<InjectionResult> {
    const at = options.at ?? 'turn-end';
    return this.#track(packet, options, at === 'immediate' ? { kind: 'within' } : { kind: 'after', marker: at });
  }

  /** Delivers at once, or fails with `deadline_exceeded` if not delivered within `deadlineMs`. */
  injectWithin(deadlineMs: number, packet: ContextPacket, options: PrepareOptions = {}): Promise<InjectionResult> {
    const deadlineAt = this.#options.scheduler.now() + deadlineMs;
    return this.#track(packet, { ...options, at: options.at ?? 'immediate' }, { kind: 'within' }, deadlineAt);
  }

  /** Must go out before `marker`; fails with `marker_passed` if the marker comes first. */
  injectBefore(marker: StreamMarker, packet: ContextPacket, options: PrepareOptions = {}): Promise<InjectionResult> {
    return this.#track(packet, { ...options, at: options.at ?? 'immediate' }, { kind: 'before', marker });
  }

  /** Held until the stream reaches `marker`. */
  injectAfter(marker: StreamMarker, packet: ContextPacket, options: PrepareOptions = {}): Promise<InjectionResult> {
    return this.#track(packet, options, { kind: 'after', marker });
  }

  /**
   * Takes an injection prepared (and held for its synchronization point) elsewhere, e.g. by a delivery queue:
   * it is ready now, under its own expiry and deadline.
   */
  admit(injection: Injection): Promise<InjectionResult> {
    this.#assertNotEnded();
    return this.#admit(injection, { kind: 'within' });
  }

  /** Pushes ready injections now (e.g. after a consumer attached to a stream whose mode pushes only then). */
  flush(): void {
    this.#flush();
  }

  cancelPending(filter?: (pending: PendingInjection) => boolean): InjectionResult[] {
    return this.#pending.cancelPending(filter);
  }

  /** The client takes ready injections (passive and hybrid modes; any mode while paused), highest first. */
  pull(max?: number): Injection[] {
    const taken = this.#outbound.drain(max);
    for (const injection of taken) {
      const result: InjectionResult = { injection, outcome: 'delivered' };
      if (this.#pending.settle(result)) this.#publishResult(result, 'pull');
    }
    return taken;
  }

  get queueDepth(): number {
    return this.#outbound.queueDepth;
  }
  canAcceptMore(): boolean {
    return this.#outbound.canAcceptMore();
  }
  /** Drops queued injections below `priority` (each reported `injection.dropped`). */
  dropBelow(priority: number): Injection[] {
    return this.#outbound.dropBelow(priority);
  }

  async #track(
    packet: ContextPacket,
    options: PrepareOptions,
    condition: PendingCondition,
    deadlineAt?: number,
  ): Promise<InjectionResult> {
    this.#assertNotEnded();
    let injection = this.#options.injector.prepare(packet, options);
    if (deadlineAt !== undefined)
      injection = { ...injection, deadlineAt: Math.min(injection.deadlineAt ?? deadlineAt, deadlineAt) };
    return this.#admit(injection, condition);
  }

  async #admit(prepared: Injection, condition: PendingCondition): Promise<InjectionResult> {
    let injection = prepared;
    const hooks = this.#options.hooks;
    if (hooks?.has('beforeInjection')) {
      const outcome = await hooks.runBefore('beforeInjection', injection, this.streamId);
      if (outcome.vetoed) {
        const result: InjectionResult = { injection, outcome: 'skipped', reason: 'vetoed' };
        this.#publishResult(result, 'push');
        return result;
      }
      injection = outcome.value;
    }
    this.#summary.prepared++;
    this.#publish({ type: 'injection.prepared', injection });
    if (this.#state === 'ended') return this.#failEnded(injection);
    return this.#pending.add(injection, condition);
  }

  async #process(input: StreamInput): Promise<InputResult> {
    const hooks = this.#options.hooks;
    let value = input;
    if (hooks?.has('beforeInput')) {
      const outcome = await hooks.runBefore('beforeInput', value, this.streamId);
      if (outcome.vetoed) return { accepted: false, reason: outcome.reason };
      value = outcome.value;
    }
    if (this.#state === 'ended') return { accepted: false, reason: 'stream_ended' };
    this.#summary.inputs++;
    const during = hooks?.runObservers('duringInput', value, this.streamId);
    this.#publish({ type: 'data', input: value });
    if (value.type === 'ack') this.#options.injector.confirm(value.id);
    const marker = markerOf(value);
    if (marker !== undefined) this.#pending.markerReached(marker);
    this.#flush();
    await during;
    await hooks?.runObservers('afterInput', value, this.streamId);
    return { accepted: true };
  }

  #onReady(injection: Injection): void {
    this.#outbound.push(injection, injection.packet.metadata.priority);
    this.#flush();
  }

  /** Pushes what the mode says to push, while the consumer reads and the injector accepts. */
  #flush(): void {
    if (this.#state !== 'open' || this.#outbound.paused || this.#outbound.queueDepth === 0) return;
    for (const injection of this.#outbound.snapshot()) {
      if (!this.mode.shouldPush(injection)) continue;
      if (!this.#options.injector.canInject(this.#options.scheduler.now())) break;
      this.#outbound.remove((queued) => queued === injection);
      void this.#deliver(injection);
    }
  }

  async #deliver(injection: Injection): Promise<void> {
    const result = await this.#options.injector.execute(injection);
    if (this.#pending.settle(result)) this.#publishResult(result, 'push');
    // A failed delivery frees one of the injector's slots at once (a delivered one once confirmed): push what waits.
    this.#flush();
    await this.#options.hooks?.runObservers('afterInjection', result, this.streamId);
  }

  #onDropped(injection: Injection, reason: DropReason): void {
    this.#summary.dropped++;
    this.#publish({ type: 'injection.dropped', injection, reason });
    this.#pending.settle({ injection, outcome: 'dropped', reason });
  }

  #publishResult(result: InjectionResult, via: 'push' | 'pull'): void {
    const { injection, outcome } = result;
    if (outcome === 'delivered') {
      this.#summary.delivered++;
      this.#publish({ type: 'injection.delivered', injection, via });
    } else if (outcome !== 'dropped') {
      this.#summary.failed++;
      this.#publish({ type: 'injection.failed', injection, outcome, reason: result.reason ?? outcome });
    }
  }

  #failEnded(injection: Injection): InjectionResult {
    const result: InjectionResult = { injection, outcome: 'cancelled', reason: 'stream_ended' };
    this.#publishResult(result, 'push');
    return result;
  }

  #publish(event: DistributiveOmit<StreamEvent, 'streamId' | 'at'>): void {
    // Nobody listening (the common case of a stream without observers): no event to stamp and copy.
    if (this.#subject.size === 0 && (this.#consumers === undefined || this.#consumers.size === 0)) return;
    const full = { ...event, streamId: this.streamId, at: this.#options.scheduler.now() } as StreamEvent;
    this.#subject.notify(full);
    if (this.#consumers !== undefined) for (const consumer of this.#consumers) consumer.push(full);
  }

  #assertNotEnded(): void {
    if (this.#state === 'ended') throw new ConflictError(`stream ${this.streamId} has ended`, { code: 'stream_ended' });
  }
}
