import type { Redis } from 'ioredis';
import type { BackendHealth, BackendStatusListener } from '../backend-health.js';
import { redactCredentials } from './redis-connection.js';

/** A reply error (WRONGTYPE, NOSCRIPT…) means Redis answered: it is not an outage. */
export function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}

export function errorMessage(error: unknown): string {
  return redactCredentials(error instanceof Error ? error.message : String(error));
}

/**
 * Tracks whether a set of Redis connections is usable, from connection events and from the outcome of
 * commands, and tells the listener about transitions (down → up fires `onRecovered` too).
 */
export class RedisStatus {
  private health: BackendHealth = { ok: false, detail: 'redis: not connected yet' };
  private known = false;
  private stopped = false;

  constructor(
    private readonly label: string,
    private readonly listener: BackendStatusListener | undefined,
    private readonly onRecovered: () => void = () => {},
  ) {}

  watch(client: Redis, role: string): void {
    client.on('ready', () => this.markUp());
    client.on('error', (error: unknown) => this.markDown(`${role}: ${errorMessage(error)}`));
    client.on('close', () => this.markDown(`${role}: connection closed`));
  }

  current(): BackendHealth {
    return { ...this.health };
  }

  /** After close(): connection events no longer count as an outage. */
  stop(): void {
    this.stopped = true;
    this.health = { ok: false, detail: `${this.label} closed` };
  }

  markUp(): void {
    if (this.stopped || (this.known && this.health.ok)) return;
    this.known = true;
    this.health = { ok: true };
    this.notify();
    this.onRecovered();
  }

  markDown(detail: string): void {
    if (this.stopped) return;
    const changed = this.health.ok || !this.known;
    this.known = true;
    this.health = { ok: false, detail: `${this.label} ${detail}` };
    if (changed) this.notify();
  }

  private notify(): void {
    try {
      this.listener?.(this.current());
    } catch {
      // a failing listener must not break the cache
    }
  }
}
