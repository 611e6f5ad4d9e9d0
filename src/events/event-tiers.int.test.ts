import { describePostgres } from '../store/sql/postgres/postgres-test-database.js';
import { describeEventTiers } from './event-tiers-suite.js';

describePostgres('event tiers (PostgreSQL)', (database) => {
  describeEventTiers({
    name: 'PostgreSQL',
    async open() {
      const store = await database.openStore();
      return { store, cleanup: () => store.close() };
    },
  });
});
