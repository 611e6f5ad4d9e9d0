import { createMemoryPubSub, createMemoryPubSubHub } from '../cache/memory/memory-pubsub.js';
import { describeBusFanout } from './bus-fanout-suite.js';

const hub = createMemoryPubSubHub();
describeBusFanout('the memory pub/sub', async () => createMemoryPubSub({ hub }));
