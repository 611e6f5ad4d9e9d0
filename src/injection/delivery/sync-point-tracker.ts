import type { StreamInput } from '../../core/injection.js';
import type { ReleasePoint } from './release-rule.js';

export interface SyncPointTrackerOptions {
  /** A silence shorter than this is not a sync point (default 300 ms). */
  minSilenceMs: number;
}

/**
 * A small state machine fed with a stream's inputs; it says when it is safe to inject and which kind
 * of point it is. Between `turn-start` and `turn-end` a turn is in progress: then only `sentence-end`
 * (or a long enough silence, read as a pause between sentences) is a release point, and it lets out
 * `immediate` injections only, so nothing queued for a turn end or a silence ever cuts into a turn.
 * A `message` outside any turn counts as a turn end (text chats send whole messages, no turn signals);
 * inside a turn it is part of the turn.
 */
export class SyncPointTracker {
  readonly #minSilenceMs: number;
  #inTurn = false;

  constructor(options: Partial<SyncPointTrackerOptions> = {}) {
    this.#minSilenceMs = options.minSilenceMs ?? 300;
  }

  /** Whether a turn is in progress (turn-start seen, no turn-end yet). */
  get inTurn(): boolean {
    return this.#inTurn;
  }

  /** Feeds one input; returns the release point it makes, if any. */
  feed(input: StreamInput): ReleasePoint | undefined {
    switch (input.type) {
      case 'turn-start':
        this.#inTurn = true;
        return undefined;
      case 'turn-end':
        this.#inTurn = false;
        return 'turn-end';
      case 'silence':
        if (input.ms < this.#minSilenceMs) return undefined;
        return this.#inTurn ? 'sentence-end' : 'silence';
      case 'sentence-end':
        return 'sentence-end';
      case 'message':
        return this.#inTurn ? undefined : 'turn-end';
      case 'ack':
      case 'event':
      case 'state':
        return this.current();
      default: {
        const _exhaustive: never = input;
        return _exhaustive;
      }
    }
  }

  /** The release point right now without a new input: `idle` between turns, none inside a turn. */
  current(): ReleasePoint | undefined {
    return this.#inTurn ? undefined : 'idle';
  }
}
