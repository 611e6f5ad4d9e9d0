import { describe } from 'vitest';
import type { CacheConformanceOptions } from './cache-conformance-options.js';
import { describeCacheIsolationConformance } from './cache-isolation-conformance.js';
import { describeCacheValueConformance } from './cache-values-conformance.js';
import { describeCacheWindowConformance } from './cache-window-conformance.js';

export type { CacheConformanceOptions } from './cache-conformance-options.js';

/** The one suite every CachePort backend passes. A backend's test file calls this with `{ name, create }`. */
export function describeCacheConformance(options: CacheConformanceOptions): void {
  describe(`${options.name} cache conformance`, () => {
    describeCacheValueConformance(options);
    describeCacheIsolationConformance(options);
    describeCacheWindowConformance(options);
  });
}
