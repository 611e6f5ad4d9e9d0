import type { ContextPacket, Criticality } from '../core/injection.js';
import { createEngine, type Engine } from '../engine.js';
import type { InjectionMessage } from './injection-message.js';
import type { InjectionStats } from './injection-service.js';
import { type RandomSource, seededRandom } from './resilience/seeded-random.js';
import type { StreamTransport } from './stream-transport.js';

/**
 * Consumers and an engine for the end-to-end tests of injection streams (`injection-stream.*.test.ts`):
 * transports that record, fail a seeded share of sends, hang until aborted, or always fail, and an engine
 * whose delivery config keeps every timeout short.
 */

export const TENANT = 'acme';

/** A consumer that accepts every message and keeps it. */
export interface RecordingTransport extends StreamTransport {
  readonly messages: InjectionMessage[];
  calls: number;
}

export function recordingTransport(): RecordingTransport {
  const messages: InjectionMessage[] = [];
  return {
    kind: 'websocket',
    messages,
    calls: 0,
    async send(message) {
      this.calls++;
      messages.push(message);
    },
  };
}

/** A consumer that rejects a seeded share of sends (`failureRate`) and records the others. */
export interface FlakyTransport extends RecordingTransport {
  failures: number;
}

export function flakyTransport(options: { failureRate: number; seed: number }): FlakyTransport {
  const random: RandomSource = seededRandom(options.seed);
  const messages: InjectionMessage[] = [];
  return {
    kind: 'websocket',
    messages,
    calls: 0,
    failures: 0,
    async send(message) {
      this.calls++;
      if (random() < options.failureRate) {
        this.failures++;
        throw new Error('injected failure');
      }
      messages.push(message);
    },
  };
}

/** A consumer that never answers: each send waits until its signal aborts (a timeout, a deadline, shutdown). */
export interface HangingTransport extends StreamTransport {
  calls: number;
  /** Sends whose signal aborted (every one of them should, eventually). */
  aborted: number;
  /** Sends still waiting. */
  readonly waiting: number;
}

export function hangingTransport(): HangingTransport {
  let waiting = 0;
  return {
    kind: 'websocket',
    calls: 0,
    aborted: 0,
    get waiting() {
      return waiting;
    },
    send(_message, signal) {
      this.calls++;
      return new Promise<void>((_resolve, reject) => {
        const onAbort = () => {
          waiting--;
          this.aborted++;
          reject(signal.reason ?? new Error('aborted'));
        };
        if (signal.aborted) {
          this.aborted++;
          reject(signal.reason ?? new Error('aborted'));
          return;
        }
        waiting++;
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

/** A consumer that is gone: every send rejects at once. */
export interface DeadTransport extends StreamTransport {
  calls: number;
}

export function deadTransport(): DeadTransport {
  return {
    kind: 'websocket',
    calls: 0,
    async send() {
      this.calls++;
      throw new Error('connection refused');
    },
  };
}

/**
 * Load thresholds no load reaches: the degradation level then follows the failure budget only, so the
 * event-loop load of a busy test machine (two shared cores) never decides what the tests assert.
 */
const NO_LOAD_DEGRADATION = {
  essential: { failureRatio: 0.1, load: 2 },
  'critical-only': { failureRatio: 0.3, load: 2 },
  skip: { failureRatio: 0.6, load: 2 },
};

/** Short timeouts and backoffs (tens of milliseconds), so fault tests settle in well under a second each. */
export const FAST_DELIVERY = {
  attemptTimeoutMs: { critical: 40, important: 40, helpful: 40, optional: 25 },
  critical: { retry: { initialDelayMs: 5, maxDelayMs: 20 } },
  retry: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 },
  breaker: { kind: 'consecutive', failures: 5, halfOpenAfterMs: 100 },
  degradation: NO_LOAD_DEGRADATION,
};

export interface InjectionEngineOptions {
  /** Merged over `FAST_DELIVERY` (top-level keys replace). */
  delivery?: Record<string, unknown>;
  /** Other `injection` config fields (bufferLimit, outboundLimit, dedupWindowMs, …). */
  injection?: Record<string, unknown>;
}

/** An in-memory engine with tenant `acme` and the given injection config. */
export async function openInjectionEngine(options: InjectionEngineOptions = {}): Promise<Engine> {
  const engine = await createEngine({
    databaseUrl: 'memory:',
    injection: { ...options.injection, delivery: { ...FAST_DELIVERY, ...options.delivery } },
  });
  await engine.tenants.create({ id: TENANT });
  return engine;
}

/** A packet with distinct content (`n`), so the dedup filter never merges two of them. */
export function packet(
  n: number,
  metadata: { criticality: Criticality; priority?: number; deadlineMs?: number; ttlMs?: number },
): ContextPacket {
  return {
    information: { n },
    metadata: { priority: 50, source: 'test', ...metadata },
  };
}

/** The terminal outcomes an injection can end with (`prepared` is where it starts). */
const TERMINAL = ['delivered', 'failed', 'dropped', 'expired', 'skipped', 'cancelled'] as const;

/** One criticality's figures: prepared and each terminal outcome (0 when absent), and their sum. */
export function outcomesOf(stats: InjectionStats, criticality: Criticality) {
  const counts = stats.byCriticality[criticality] ?? {};
  const ended = Object.fromEntries(TERMINAL.map((outcome) => [outcome, counts[outcome] ?? 0])) as Record<
    (typeof TERMINAL)[number],
    number
  >;
  const settled = TERMINAL.reduce((sum, outcome) => sum + ended[outcome], 0);
  return { prepared: counts.prepared ?? 0, ...ended, settled };
}

/** The `byReason` entries of one outcome (`failed:deadline_exceeded` → `{ deadline_exceeded: n }`). */
export function reasonsOf(stats: InjectionStats, outcome: string): Record<string, number> {
  const prefix = `${outcome}:`;
  return Object.fromEntries(
    Object.entries(stats.byReason)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, count]) => [key.slice(prefix.length), count]),
  );
}

/** Resolves after `ms` on a real timer (to let a breaker's half-open delay pass; never timed). */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
