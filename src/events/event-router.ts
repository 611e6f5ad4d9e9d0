import { ValidationError } from '../core/errors.js';
import type { EventContext, EventRecord } from '../core/event-context.js';
import type { JsonValue } from '../core/json.js';
import type { ColdWriter } from './cold-writer.js';
import { contextRefOf } from './context-ref.js';
import type { EmitContextInput, EmitOptions } from './emit-input.js';
import { assertEventName } from './emit-input.js';
import type { EventCounters } from './event-counters.js';
import { assertEventData } from './event-data.js';
import { linkOf, type ParentLink, runInEventScope } from './event-scope.js';
import type { HotTier } from './hot-tier/hot-tier.js';
import { lineageOf, newContext } from './new-context.js';

/** A handler gets the event's data and context (the explicit path); events it emits become children (implicit path). */
export type EventHandler = (data: JsonValue | null, context: EventContext, record: EventRecord) => unknown;
/** A stream listener (WebSocket subscriptions, fan-out) sees every stored event, outside any event scope. */
export type EventListener = (record: EventRecord) => void;
export type EventHandlerErrorListener = (error: unknown, record: EventRecord) => void;

export interface EmittedEvent extends EventRecord {
  eventId: string;
  /** True when an identical context was already stored (the same reference is returned). */
  deduplicated: boolean;
}

export interface EventRouterOptions {
  hot: HotTier;
  cold: ColdWriter;
  counters: EventCounters;
  /** Throws NotFoundError for an unknown tenant. */
  requireTenant: (tenantId: string) => Promise<void>;
  /** Deepest event allowed (default 32): a deeper emit fails and records `event.depth_exceeded`. */
  maxDepth?: number | undefined;
  maxCustomBytes?: number | undefined;
  maxDataBytes?: number | undefined;
  defaultDurability?: EmitOptions['durability'];
}

export const DEPTH_EXCEEDED_EVENT = 'event.depth_exceeded';

/**
 * The event router (seed 004): `emit` builds the event's context from its parent (explicit `parent`, a
 * `traceparent`, or the AsyncLocalStorage scope of the handler or request it runs in), stores it once (hot tier
 * now, cold tier batched or acknowledged), and runs the handlers inside the new event's scope.
 */
export class EventRouter {
  readonly #options: EventRouterOptions;
  readonly #maxDepth: number;
  readonly #handlers = new Map<string, Set<EventHandler>>();
  readonly #listeners = new Set<EventListener>();
  readonly #errorListeners = new Set<EventHandlerErrorListener>();
  /** Tenants are never deleted: once one is known to exist, emits skip the (async) check. */
  readonly #knownTenants = new Set<string>();

  constructor(options: EventRouterOptions) {
    this.#options = options;
    this.#maxDepth = options.maxDepth ?? 32;
  }

  get maxDepth(): number {
    return this.#maxDepth;
  }

  async emit(name: string, data: unknown = null, input: EmitContextInput = {}, options: EmitOptions = {}): Promise<EmittedEvent> {
    assertEventName(name);
    const { tenantId, link } = lineageOf(input);
    const payload = assertEventData(data, this.#options.maxDataBytes ?? 1024 * 1024);
    if (!this.#knownTenants.has(tenantId)) {
      await this.#options.requireTenant(tenantId);
      this.#knownTenants.add(tenantId);
    }
    if (link !== undefined && link.depth + 1 > this.#maxDepth) await this.#depthExceeded(tenantId, name, link);
    const context = newContext(tenantId, input, link, this.#options.maxCustomBytes ?? 16 * 1024);
    const record: EventRecord = { tenantId, ref: contextRefOf(tenantId, name, context), event: name, context, data: payload };
    const durability = options.durability ?? this.#options.defaultDurability ?? 'buffered';
    const deduplicated = this.#store(record, durability);
    if (durability === 'acknowledged') await this.#options.cold.write(record);
    // backpressure: an emitter faster than the cold tier waits for a write instead of growing the buffer without end
    else if (this.#options.cold.congested) await this.#options.cold.flush();
    this.#dispatch(record, true);
    return { tenantId, ref: record.ref, event: name, context, data: payload, eventId: context.eventId, deduplicated };
  }

  /** Handlers of one event name, or of every event (`*`). Returns the unsubscribe function. */
  on(name: string, handler: EventHandler): () => void {
    let set = this.#handlers.get(name);
    if (set === undefined) {
      set = new Set();
      this.#handlers.set(name, set);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  /** Every stored event, as it is stored (before its handlers run). */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onHandlerError(listener: EventHandlerErrorListener): () => void {
    this.#errorListeners.add(listener);
    return () => this.#errorListeners.delete(listener);
  }

  /** Stores an already-built record (restores, recoveries) without running handlers; true when it was new. */
  async storeRecord(record: EventRecord, durability: EmitOptions['durability'] = 'buffered'): Promise<boolean> {
    const deduplicated = this.#store(record, durability ?? 'buffered');
    if (durability === 'acknowledged') await this.#options.cold.write(record);
    return !deduplicated;
  }

  /** Into the hot tier, and buffered for the cold tier (an acknowledged caller writes it itself); true when a duplicate. */
  #store(record: EventRecord, durability: NonNullable<EmitOptions['durability']>): boolean {
    const counters = this.#options.counters.of(record.tenantId);
    const inserted = this.#options.hot.insert(record);
    if (inserted) counters.emitted += 1;
    else counters.deduplicated += 1;
    if (inserted && durability === 'buffered') this.#options.cold.buffer(record);
    return !inserted;
  }

  /** Records `event.depth_exceeded` (beyond the limit itself, never handled) and refuses the emit. */
  async #depthExceeded(tenantId: string, name: string, link: ParentLink): Promise<never> {
    this.#options.counters.of(tenantId).depthExceeded += 1;
    const context = newContext(tenantId, {}, link, 0);
    const data = { event: name, depth: link.depth + 1, limit: this.#maxDepth, parentEventId: link.eventId };
    const ref = contextRefOf(tenantId, DEPTH_EXCEEDED_EVENT, context);
    const record: EventRecord = { tenantId, ref, event: DEPTH_EXCEEDED_EVENT, context, data };
    this.#store(record, 'buffered');
    this.#dispatch(record, false);
    throw new ValidationError(
      `"${name}" would be at depth ${link.depth + 1}, beyond the limit of ${this.#maxDepth}: an event loop? Recorded as ${ref}.`,
      { code: 'event_depth_exceeded', details: { ...data, correlationId: link.correlationId, errorRef: ref } },
    );
  }

  #dispatch(record: EventRecord, runHandlers: boolean): void {
    if (this.#listeners.size > 0) {
      for (const listener of [...this.#listeners]) {
        try {
          listener(record);
        } catch (error) {
          this.#report(error, record);
        }
      }
    }
    if (!runHandlers) return;
    const named = this.#handlers.get(record.event);
    const any = this.#handlers.get('*');
    if ((named === undefined || named.size === 0) && (any === undefined || any.size === 0)) return;
    const handlers = [...(named ?? []), ...(any ?? [])];
    const scope = { link: linkOf(record.tenantId, record.context), context: record.context };
    for (const handler of handlers) {
      runInEventScope(scope, () => {
        try {
          const result = handler(record.data, record.context, record);
          if (result instanceof Promise) result.catch((error: unknown) => this.#report(error, record));
        } catch (error) {
          this.#report(error, record);
        }
      });
    }
  }

  #report(error: unknown, record: EventRecord): void {
    for (const listener of this.#errorListeners) {
      try {
        listener(error, record);
      } catch {
        // an error listener that fails has nobody left to tell
      }
    }
  }
}
