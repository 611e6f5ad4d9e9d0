import { describeStoreConformance } from '../conformance/store-conformance.js';
import { createMemoryStore } from './create-memory-store.js';

describeStoreConformance({
  name: 'memory',
  create: async () => createMemoryStore(),
  destroy: (store) => store.close(),
});
