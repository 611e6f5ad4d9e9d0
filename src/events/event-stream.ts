import type { PubSubPort } from '../cache/pubsub-port.js';
import type { EventRecord } from '../core/event-context.js';
import type { EventListener, EventRouter } from './event-router.js';

export const EVENT_STREAM_CHANNEL = 'ctx:event-contexts';

interface StreamEnvelope {
  v: 1;
  instanceId: string;
  record: EventRecord;
}

function parseEnvelope(message: string): StreamEnvelope | undefined {
  try {
    const parsed = JSON.parse(message) as Partial<StreamEnvelope>;
    const record = parsed.record;
    if (parsed.v !== 1 || typeof parsed.instanceId !== 'string' || typeof record !== 'object' || record === null)
      return undefined;
    if (typeof record.tenantId !== 'string' || typeof record.ref !== 'string' || typeof record.context !== 'object')
      return undefined;
    return parsed as StreamEnvelope;
  } catch {
    return undefined;
  }
}

/**
 * Every stored event of this instance and, when a pub/sub connects instances (Redis), of the others too: what a
 * WebSocket subscription streams. Best effort across instances (the cold tier stays the record of what happened).
 */
export class EventStream {
  readonly #listeners = new Set<EventListener>();
  readonly #publishers = new Set<EventListener>();
  readonly #stopLocal: () => void;
  #stopRemote: (() => Promise<void>) | undefined;

  constructor(router: EventRouter) {
    this.#stopLocal = router.subscribe((record) => this.#deliver(record));
  }

  /** Publishes local events to the other instances and delivers theirs here. */
  async connect(pubsub: PubSubPort, instanceId: string): Promise<void> {
    const stopPublishing = (() => {
      const listener: EventListener = (record) => {
        const envelope: StreamEnvelope = { v: 1, instanceId, record };
        pubsub.publish(EVENT_STREAM_CHANNEL, JSON.stringify(envelope)).catch(() => undefined);
      };
      this.#publishers.add(listener);
      return () => this.#publishers.delete(listener);
    })();
    const unsubscribe = await pubsub.subscribe(EVENT_STREAM_CHANNEL, (message) => {
      const envelope = parseEnvelope(message);
      if (envelope === undefined || envelope.instanceId === instanceId) return;
      this.#notify(envelope.record);
    });
    this.#stopRemote = async () => {
      stopPublishing();
      await unsubscribe();
    };
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.#stopLocal();
    await this.#stopRemote?.();
  }

  #deliver(record: EventRecord): void {
    for (const publish of this.#publishers) publish(record);
    this.#notify(record);
  }

  #notify(record: EventRecord): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(record);
      } catch {
        // a failing subscriber (a closed socket) must not stop the others
      }
    }
  }
}
