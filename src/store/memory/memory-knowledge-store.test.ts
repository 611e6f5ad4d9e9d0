import { describeKnowledgeConformance } from '../conformance/knowledge-conformance.js';
import { createMemoryStore } from './create-memory-store.js';

describeKnowledgeConformance({ name: 'memory', create: async () => createMemoryStore(), destroy: (store) => store.close() });
