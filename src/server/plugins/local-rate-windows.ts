import type { WindowCount } from '../../cache/cache-port.js';

/** Most callers counted at once; past it, expired windows are swept, then the oldest windows dropped. */
const MAX_WINDOWS = 10_000;

/**
 * Fixed-window request counters of this process, synchronous and O(1) per request: a window starts at a key's
 * first request and lasts `windowMs`. The map is bounded (like an LRU): windows are (re)inserted when they
 * start, so the first entries are the ones that end soonest.
 */
export function createLocalRateWindows(windowMs: number) {
  const windows = new Map<string, WindowCount>();

  function makeRoom(now: number): void {
    for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
    while (windows.size >= MAX_WINDOWS) {
      const oldest = windows.keys().next().value;
      if (oldest === undefined) break;
      windows.delete(oldest);
    }
  }

  return {
    /** Counts one request of `key` and answers the count so far in its window. */
    increment(key: string, now = Date.now()): WindowCount {
      const window = windows.get(key);
      if (window !== undefined && window.resetAt > now) {
        window.count += 1;
        return window;
      }
      windows.delete(key);
      if (windows.size >= MAX_WINDOWS) makeRoom(now);
      const fresh = { count: 1, resetAt: now + windowMs };
      windows.set(key, fresh);
      return fresh;
    },
  };
}
