import { describeCacheConformance } from '../conformance/cache-conformance.js';
import { describePubSubConformance } from '../conformance/pubsub-conformance.js';
import { createMemoryCache, createMemoryCacheBackend } from './memory-cache.js';
import { createMemoryPubSub, createMemoryPubSubHub } from './memory-pubsub.js';

const backend = createMemoryCacheBackend();
describeCacheConformance({ name: 'memory', create: async ({ prefix }) => createMemoryCache({ prefix, backend }) });

const hub = createMemoryPubSubHub();
describePubSubConformance({ name: 'memory', create: async () => createMemoryPubSub({ hub }) });
