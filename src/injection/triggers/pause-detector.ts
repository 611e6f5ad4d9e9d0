import type { StreamInput } from '../../core/injection.js';

export interface PauseDetectorOptions {
  /** A silence at least this long is a pause (default 1,500 ms). */
  pauseMs?: number | undefined;
  /** A turn open at least this long is a long turn (default 30,000 ms). */
  longTurnMs?: number | undefined;
}

/** What the pause trigger reports. Durations are milliseconds. */
export type PauseEvent =
  /** A silence reached `pauseMs`: said by a `silence` input, seen as a gap before a message, or found by `poll`. */
  | { type: 'pause'; durationMs: number; source: 'silence-input' | 'gap' | 'elapsed' }
  /** A turn has been open for `longTurnMs` (reported once per turn). */
  | { type: 'long-turn'; role: 'user' | 'assistant' | undefined; durationMs: number }
  /** A turn ended, with how long it lasted. */
  | { type: 'turn-ended'; role: 'user' | 'assistant' | undefined; durationMs: number };

/**
 * The pause trigger: silence (explicit `silence` inputs and gaps between activity) and turn timing (turn start and
 * end, long turns, time since the last user message). It keeps no timers: time comes in as `now` (epoch ms), and
 * `poll(now)` finds pauses and long turns by elapsed time. Activity is a message, a turn start or end, or a
 * sentence end; one pause is reported per silence.
 */
export class PauseDetector {
  readonly pauseMs: number;
  readonly longTurnMs: number;
  /** When the current silence began (the last activity, or what a `silence` input said). */
  silenceStartedAt: number;
  /** When the last user message arrived (undefined before the first). */
  lastUserMessageAt: number | undefined;
  private turnRole: 'user' | 'assistant' | undefined;
  private turnStartedAt: number | undefined;
  private pauseReported = false;
  private longTurnReported = false;

  constructor(startedAt: number, options: PauseDetectorOptions = {}) {
    this.pauseMs = options.pauseMs ?? 1_500;
    this.longTurnMs = options.longTurnMs ?? 30_000;
    this.silenceStartedAt = startedAt;
  }

  /** Feeds one stream input; returns what it revealed. */
  observe(input: StreamInput, now: number): PauseEvent[] {
    const events: PauseEvent[] = [];
    switch (input.type) {
      case 'message':
      case 'sentence-end':
        if (!this.pauseReported && now - this.silenceStartedAt >= this.pauseMs) {
          events.push({ type: 'pause', durationMs: now - this.silenceStartedAt, source: 'gap' });
        }
        if (input.type === 'message' && input.role === 'user') this.lastUserMessageAt = now;
        break;
      case 'turn-start':
        this.turnRole = input.role;
        this.turnStartedAt = now;
        this.longTurnReported = false;
        break;
      case 'turn-end':
        if (this.turnStartedAt !== undefined) {
          events.push({ type: 'turn-ended', role: input.role ?? this.turnRole, durationMs: now - this.turnStartedAt });
        }
        this.turnStartedAt = undefined;
        this.turnRole = undefined;
        break;
      case 'silence':
        this.silenceStartedAt = now - Math.max(0, input.ms);
        if (!this.pauseReported && input.ms >= this.pauseMs) {
          this.pauseReported = true;
          events.push({ type: 'pause', durationMs: input.ms, source: 'silence-input' });
        }
        return events;
      default:
        return this.poll(now);
    }
    this.silenceStartedAt = now;
    this.pauseReported = false;
    return events;
  }

  /**
   * Finds pauses and long turns by elapsed time (call it from the caller's timer). While a turn is open someone is
   * speaking, so elapsed time alone is no pause there (an explicit `silence` input still is).
   */
  poll(now: number): PauseEvent[] {
    const events: PauseEvent[] = [];
    const silence = this.silenceMs(now);
    if (!this.pauseReported && this.turnStartedAt === undefined && silence >= this.pauseMs) {
      this.pauseReported = true;
      events.push({ type: 'pause', durationMs: silence, source: 'elapsed' });
    }
    const turn = this.turnMs(now);
    if (!this.longTurnReported && turn !== undefined && turn >= this.longTurnMs) {
      this.longTurnReported = true;
      events.push({ type: 'long-turn', role: this.turnRole, durationMs: turn });
    }
    return events;
  }

  /** How long the current silence has lasted. */
  silenceMs(now: number): number {
    return Math.max(0, now - this.silenceStartedAt);
  }

  /** How long the open turn has lasted; undefined when no turn is open. */
  turnMs(now: number): number | undefined {
    return this.turnStartedAt === undefined ? undefined : Math.max(0, now - this.turnStartedAt);
  }

  /** Time since the last user message; undefined before the first. */
  sinceLastUserMessageMs(now: number): number | undefined {
    return this.lastUserMessageAt === undefined ? undefined : Math.max(0, now - this.lastUserMessageAt);
  }
}
