import { describeWithRedis } from '../cache/conformance/redis-test-gate.js';
import { createRedisPubSub } from '../cache/redis/redis-pubsub.js';
import { describeBusFanout } from './bus-fanout-suite.js';

describeWithRedis('bus fan-out on redis (CTX_TEST_REDIS_URL)', (url) => {
  // every instance gets its own two ioredis connections
  describeBusFanout('redis', () => createRedisPubSub({ url }));
});
