import { describeCacheConformance } from '../conformance/cache-conformance.js';
import { describePubSubConformance } from '../conformance/pubsub-conformance.js';
import { describeWithRedis } from '../conformance/redis-test-gate.js';
import { createRedisCache } from './redis-cache.js';
import { createRedisPubSub } from './redis-pubsub.js';

describeWithRedis('redis (CTX_TEST_REDIS_URL)', (url) => {
  describeCacheConformance({ name: 'redis', create: ({ prefix }) => createRedisCache({ url, prefix }) });
  describePubSubConformance({ name: 'redis', create: () => createRedisPubSub({ url }) });
});
