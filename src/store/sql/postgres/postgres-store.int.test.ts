import { describeStoreConformance } from '../../conformance/store-conformance.js';
import { describePostgres } from './postgres-test-database.js';

describePostgres('postgres', (database) => {
  describeStoreConformance({
    name: 'postgres',
    create: () => database.openStore(),
    destroy: (store) => store.close(),
  });
});
