import { describe } from 'vitest';
import { describeApiKeyConformance } from './api-keys-conformance.js';
import { describeAssemblyConformance } from './assembly-conformance.js';
import { describeCommitConformance } from './commit-conformance.js';
import { describeConcurrencyConformance } from './concurrency-conformance.js';
import type { StoreConformanceOptions } from './conformance-options.js';
import { describeEventContextConformance } from './event-contexts-conformance.js';
import { describeIdempotencyConformance } from './idempotency-conformance.js';
import { describeInjectionRuleConformance } from './injection-rules-conformance.js';
import { describeIsolationConformance } from './isolation-conformance.js';
import { describeJourneyConformance } from './journey-conformance.js';
import { describeRunConformance } from './runs-conformance.js';
import { describeStoreSessionConformance } from './session-conformance.js';
import { describeTenantConformance } from './tenants-conformance.js';
import { describeUpdateConformance } from './updates-conformance.js';
import { describeVersionConformance } from './versions-conformance.js';

export type { StoreConformanceOptions } from './conformance-options.js';

/** The one suite every Store backend passes. A backend's test file calls this with `{ name, create, destroy }`. */
export function describeStoreConformance(options: StoreConformanceOptions): void {
  describe(`${options.name} store conformance`, () => {
    describeTenantConformance(options);
    describeVersionConformance(options);
    describeCommitConformance(options);
    describeUpdateConformance(options);
    describeIsolationConformance(options);
    describeApiKeyConformance(options);
    describeIdempotencyConformance(options);
    describeEventContextConformance(options);
    describeConcurrencyConformance(options);
    describeRunConformance(options);
    describeStoreSessionConformance(options);
    describeJourneyConformance(options);
    describeAssemblyConformance(options);
    describeInjectionRuleConformance(options);
  });
}
