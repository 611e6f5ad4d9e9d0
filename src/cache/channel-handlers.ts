import type { PubSubHandler } from './pubsub-port.js';

/**
 * The handlers subscribed per channel, as both pub/sub backends keep them. Each subscription is its own
 * wrapper, so one function subscribed twice is two subscriptions; a channel without handlers is forgotten.
 */
export class ChannelHandlers {
  readonly #channels = new Map<string, Set<PubSubHandler>>();

  /** Adds a subscription; the returned function removes it and says whether its channel is now empty. */
  add(channel: string, handler: PubSubHandler): () => boolean {
    const wrapped: PubSubHandler = (message, from) => handler(message, from);
    let handlers = this.#channels.get(channel);
    if (handlers === undefined) {
      handlers = new Set();
      this.#channels.set(channel, handlers);
    }
    handlers.add(wrapped);
    return () => {
      const current = this.#channels.get(channel);
      if (current === undefined || !current.delete(wrapped) || current.size > 0) return false;
      this.#channels.delete(channel);
      return true;
    };
  }

  /** The handlers of a channel now (later subscriptions do not receive this message). */
  snapshot(channel: string): PubSubHandler[] {
    return [...(this.#channels.get(channel) ?? [])];
  }

  names(): string[] {
    return [...this.#channels.keys()];
  }

  clear(): void {
    this.#channels.clear();
  }
}

/** Calls every handler; one that throws is reported and never stops the others. */
export function deliver(
  handlers: readonly PubSubHandler[],
  message: string,
  channel: string,
  onError: ((error: unknown, channel: string) => void) | undefined,
): void {
  for (const handler of handlers) {
    try {
      handler(message, channel);
    } catch (error) {
      onError?.(error, channel);
    }
  }
}
