import { ValidationError } from '../../../core/errors.js';
import { type InjectionFilter, PASS, reject } from './injection-filter.js';

export interface DedupFilterOptions {
  /** A repeat within this many ms of the last injection of the same content is rejected. */
  windowMs?: number;
  /** Remember the last K injections (default 32): memory is bounded by K whatever the window. */
  lastK?: number;
}

interface Remembered {
  contentHash: string;
  id: string;
  at: number;
}

/**
 * Rejects content injected recently into the same stream (same `contentHash`, another injection id:
 * the same injection coming back after a requeue is not a duplicate). "Recently" is within `windowMs`
 * and among the last `lastK` injections; without `windowMs` only the last K count.
 */
export function dedupFilter(options: DedupFilterOptions = {}): InjectionFilter {
  const lastK = options.lastK ?? 32;
  if (!(Number.isInteger(lastK) && lastK >= 1)) throw new ValidationError('dedup lastK must be an integer ≥ 1');
  const recent: Remembered[] = [];
  return {
    name: 'dedup',
    check(injection, { now }) {
      const repeated = recent.some(
        (entry) =>
          entry.contentHash === injection.contentHash &&
          entry.id !== injection.id &&
          (options.windowMs === undefined || now - entry.at < options.windowMs),
      );
      return repeated ? reject('dedup') : PASS;
    },
    record(injection, { now }) {
      recent.push({ contentHash: injection.contentHash, id: injection.id, at: now });
      if (recent.length > lastK) recent.shift();
    },
  };
}
