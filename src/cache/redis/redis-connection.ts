import { Redis, type RedisOptions } from 'ioredis';
import { ValidationError } from '../../core/errors.js';

export interface RedisConnectionOptions {
  /** `redis://` or `rediss://` URL; may carry credentials, which never appear in any message. */
  url: string;
  /** Shown in `CLIENT LIST`. */
  connectionName?: string;
  /** A command without a reply after this long fails (default 1,000 ms). */
  commandTimeoutMs?: number;
  /** Give up a connection attempt after this long (default 2,000 ms). */
  connectTimeoutMs?: number;
  /** Reconnect backoff doubles from 50 ms up to this cap (default 2,000 ms); it never stops retrying. */
  maxBackoffMs?: number;
}

/** `redis://host:port/db` without user, password or query: safe to log and to show in health details. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}${parsed.port ? `:${parsed.port}` : ''}${parsed.pathname}`;
  } catch {
    return 'redis (unparseable URL)';
  }
}

/** Removes anything that looks like `scheme://user:password@` from a message. */
export function redactCredentials(message: string): string {
  return message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@\s/]*@/gi, '$1***@');
}

function assertRedisUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new ValidationError('The Redis URL is not a valid URL.');
  }
  if (protocol !== 'redis:' && protocol !== 'rediss:')
    throw new ValidationError('The Redis URL must start with redis:// or rediss://.');
}

/**
 * Opens an ioredis connection that never makes a caller hang while Redis is down: no offline queue
 * (commands fail at once when disconnected), one retry per request, a command timeout, and endless
 * reconnection with capped exponential backoff. The caller must listen for 'error'.
 */
export function openRedisConnection(options: RedisConnectionOptions): Redis {
  assertRedisUrl(options.url);
  const maxBackoffMs = options.maxBackoffMs ?? 2_000;
  const redisOptions: RedisOptions = {
    connectionName: options.connectionName,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 16), maxBackoffMs),
    autoResubscribe: false,
    lazyConnect: true,
  };
  return new Redis(options.url, redisOptions);
}

/** Starts connecting and resolves after the first attempt settles (ready, error or timeout). Never rejects. */
export async function connectOrDegrade(client: Redis, timeoutMs: number): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.connect().then(done, done);
  });
}
