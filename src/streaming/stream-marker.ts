import type { StreamInput } from '../core/injection.js';
import type { StreamMarker } from './time-sensitive.js';

/**
 * The marker a client input reaches: its type for the boundaries (`turn-start`, `turn-end`, `sentence-end`,
 * `silence`, `message`), the event's name for an `event` input, none for acks and state signals.
 */
export function markerOf(input: StreamInput): StreamMarker | undefined {
  switch (input.type) {
    case 'message':
    case 'turn-start':
    case 'turn-end':
    case 'sentence-end':
    case 'silence':
      return input.type;
    case 'event':
      return input.name;
    case 'ack':
    case 'state':
      return undefined;
    default: {
      const _exhaustive: never = input;
      return _exhaustive;
    }
  }
}
