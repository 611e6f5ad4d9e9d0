import { ValidationError } from '../core/errors.js';
import type { Criticality, Injection } from '../core/injection.js';

/**
 * How a session delivers (seed 003's integration modes): `passive` only prepares and the client pulls (the
 * HTTP request/response path); `active` pushes at synchronization points; `hybrid` pushes what matters and
 * leaves the rest to be pulled.
 */
export const STREAM_MODES = ['passive', 'active', 'hybrid'] as const;
export type StreamMode = (typeof STREAM_MODES)[number];

/** What the session asks before it pushes a ready injection. */
export interface ModePolicy {
  readonly mode: StreamMode;
  /** True: push it now (when the consumer is not paused); false: keep it for the client to pull. */
  shouldPush(injection: Injection): boolean;
}

export interface ModePolicyOptions {
  /** The criticalities `hybrid` pushes (default critical and important). */
  pushCriticalities?: readonly Criticality[];
}

/** Builds the (frozen, shareable) policy of a mode. */
export function createModePolicy(mode: StreamMode, options: ModePolicyOptions = {}): ModePolicy {
  switch (mode) {
    case 'passive':
      return Object.freeze({ mode, shouldPush: () => false });
    case 'active':
      return Object.freeze({ mode, shouldPush: () => true });
    case 'hybrid': {
      const pushed = new Set<Criticality>(options.pushCriticalities ?? ['critical', 'important']);
      return Object.freeze({ mode, shouldPush: (injection: Injection) => pushed.has(injection.packet.metadata.criticality) });
    }
    default: {
      const _exhaustive: never = mode;
      throw new ValidationError(`unknown stream mode: ${String(_exhaustive)}`);
    }
  }
}
