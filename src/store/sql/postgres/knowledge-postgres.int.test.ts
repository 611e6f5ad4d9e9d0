import { describeKnowledgeConformance } from '../../conformance/knowledge-conformance.js';
import { describePostgres } from './postgres-test-database.js';

describePostgres('postgres knowledge', (database) => {
  describeKnowledgeConformance({ name: 'postgres', create: () => database.openStore(), destroy: (store) => store.close() });
});
