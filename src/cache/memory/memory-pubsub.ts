import type { BackendHealth } from '../backend-health.js';
import { ChannelHandlers, deliver } from '../channel-handlers.js';
import type { PubSubPort } from '../pubsub-port.js';

/** Channels shared by memory pub/subs: pub/subs over one hub behave like instances over one Redis. */
export interface MemoryPubSubHub {
  readonly channels: ChannelHandlers;
}

export function createMemoryPubSubHub(): MemoryPubSubHub {
  return { channels: new ChannelHandlers() };
}

export interface MemoryPubSubOptions {
  hub?: MemoryPubSubHub;
  /** Told about a handler that threw. */
  onHandlerError?: (error: unknown, channel: string) => void;
}

/** In-process pub/sub. Delivery is asynchronous (a microtask later), like a network backend. */
export function createMemoryPubSub(options: MemoryPubSubOptions = {}): PubSubPort {
  const { channels } = options.hub ?? createMemoryPubSubHub();
  const mine = new Set<() => boolean>();

  return {
    async publish(channel, message) {
      const handlers = channels.snapshot(channel);
      queueMicrotask(() => deliver(handlers, message, channel, options.onHandlerError));
      return true;
    },
    async subscribe(channel, handler) {
      const remove = channels.add(channel, handler);
      mine.add(remove);
      return async () => {
        mine.delete(remove);
        remove();
      };
    },
    async health(): Promise<BackendHealth> {
      return { ok: true };
    },
    async close() {
      for (const remove of mine) remove();
      mine.clear();
    },
  };
}
