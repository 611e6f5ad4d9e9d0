import type { BackendHealth, BackendStatusListener } from '../backend-health.js';
import { ChannelHandlers, deliver } from '../channel-handlers.js';
import type { PubSubPort } from '../pubsub-port.js';
import { closeRedisConnection } from './redis-close.js';
import { connectOrDegrade, describeRedisUrl, openRedisConnection, type RedisConnectionOptions } from './redis-connection.js';
import { errorMessage, RedisStatus } from './redis-status.js';

export interface RedisPubSubOptions extends Omit<RedisConnectionOptions, 'connectionName'> {
  /** Told when Redis goes down or comes back. */
  onStatusChange?: BackendStatusListener;
  /** Told about a handler that threw, or a (re)subscribe that failed. */
  onError?: (error: unknown, channel: string) => void;
}

/**
 * Pub/sub over two connections: commands (PUBLISH) and a dedicated subscriber. The channels with handlers
 * are ours to remember: every time the subscriber connection becomes ready (first connect or after an
 * outage) it subscribes to all of them again.
 */
export async function createRedisPubSub(options: RedisPubSubOptions): Promise<PubSubPort> {
  const publisher = openRedisConnection({ ...options, connectionName: 'ctx-publisher' });
  const subscriber = openRedisConnection({ ...options, connectionName: 'ctx-subscriber' });
  const channels = new ChannelHandlers();
  const status = new RedisStatus(`redis pub/sub at ${describeRedisUrl(options.url)}:`, options.onStatusChange);
  /** True once the subscriber connection is ready and every remembered channel is subscribed again. */
  let restored = false;
  const up = (): boolean => publisher.status === 'ready' && subscriber.status === 'ready' && restored;
  for (const [client, role] of [
    [publisher, 'publisher'],
    [subscriber, 'subscriber'],
  ] as const) {
    client.on('error', (error: unknown) => status.markDown(`${role}: ${errorMessage(error)}`));
    client.on('close', () => status.markDown(`${role}: connection closed`));
  }
  publisher.on('ready', () => {
    if (up()) status.markUp();
  });
  subscriber.on('close', () => {
    restored = false;
  });
  subscriber.on('ready', () => {
    void ensureSubscribed(channels.names()).then((ok) => {
      restored = ok;
      if (up()) status.markUp();
    });
  });

  async function ensureSubscribed(names: string[]): Promise<boolean> {
    if (subscriber.status !== 'ready') return false;
    if (names.length === 0) return true;
    try {
      await subscriber.subscribe(...names);
      return true;
    } catch (error) {
      // the next 'ready' subscribes again
      status.markDown(`subscriber: ${errorMessage(error)}`);
      for (const name of names) options.onError?.(error, name);
      return false;
    }
  }

  subscriber.on('message', (channel: string, message: string) => {
    deliver(channels.snapshot(channel), message, channel, options.onError);
  });

  const pubsub: PubSubPort = {
    async publish(channel, message) {
      if (publisher.status !== 'ready') return false;
      try {
        await publisher.publish(channel, message);
        return true;
      } catch (error) {
        status.markDown(`publisher: ${errorMessage(error)}`);
        return false;
      }
    },
    async subscribe(channel, handler) {
      const remove = channels.add(channel, handler);
      await ensureSubscribed([channel]);
      return async () => {
        if (!remove()) return;
        if (subscriber.status === 'ready') await subscriber.unsubscribe(channel).catch(() => undefined);
      };
    },
    async health(): Promise<BackendHealth> {
      return up() ? { ok: true } : { ...status.current(), ok: false };
    },
    async close() {
      status.stop();
      channels.clear();
      await Promise.all([closeRedisConnection(publisher), closeRedisConnection(subscriber)]);
    },
  };
  const timeoutMs = options.connectTimeoutMs ?? 2_000;
  await Promise.all([connectOrDegrade(publisher, timeoutMs), connectOrDegrade(subscriber, timeoutMs)]);
  return pubsub;
}
