import type { BackendHealth } from '../backend-health.js';
import type { PubSubHandler, PubSubPort } from '../pubsub-port.js';

/** Channels shared by memory pub/subs: pub/subs over one hub behave like instances over one Redis. */
export interface MemoryPubSubHub {
  readonly channels: Map<string, Set<PubSubHandler>>;
}

export function createMemoryPubSubHub(): MemoryPubSubHub {
  return { channels: new Map() };
}

export interface MemoryPubSubOptions {
  hub?: MemoryPubSubHub;
  /** Told about a handler that threw. */
  onHandlerError?: (error: unknown, channel: string) => void;
}

/** In-process pub/sub. Delivery is asynchronous (a microtask later), like a network backend. */
export function createMemoryPubSub(options: MemoryPubSubOptions = {}): PubSubPort {
  const { channels } = options.hub ?? createMemoryPubSubHub();
  const mine = new Set<{ channel: string; handler: PubSubHandler }>();

  return {
    async publish(channel, message) {
      const handlers = [...(channels.get(channel) ?? [])];
      queueMicrotask(() => {
        for (const handler of handlers) {
          try {
            handler(message, channel);
          } catch (error) {
            options.onHandlerError?.(error, channel);
          }
        }
      });
      return true;
    },
    async subscribe(channel, handler) {
      // a wrapper per call, so the same function subscribed twice is two subscriptions
      const wrapped: PubSubHandler = (message, from) => handler(message, from);
      let set = channels.get(channel);
      if (set === undefined) {
        set = new Set();
        channels.set(channel, set);
      }
      set.add(wrapped);
      const registration = { channel, handler: wrapped };
      mine.add(registration);
      return async () => {
        mine.delete(registration);
        channels.get(channel)?.delete(wrapped);
        if (channels.get(channel)?.size === 0) channels.delete(channel);
      };
    },
    async health(): Promise<BackendHealth> {
      return { ok: true };
    },
    async close() {
      for (const { channel, handler } of mine) channels.get(channel)?.delete(handler);
      mine.clear();
    },
  };
}
