import { createEngine } from '../engine.js';
import { PostgresTestDatabase } from '../store/sql/postgres/postgres-test-database.js';
import type { EngineBackend } from './engines.js';

/**
 * The engine on PostgreSQL for the engine-level suites that run on it too: a database of its own per `open()`
 * (dropped on cleanup). Without CTX_TEST_POSTGRES_URL it is left out with a note, except under CI=true, where
 * opening it fails, so that CI never passes without running it.
 */
export function postgresEngineBackends(): EngineBackend[] {
  const url = process.env.CTX_TEST_POSTGRES_URL;
  if (url === undefined || url === '') {
    if (process.env.CI === 'true') {
      return [
        {
          name: 'postgresql',
          open: () => Promise.reject(new Error('CTX_TEST_POSTGRES_URL is not set, and these tests are required under CI=true.')),
        },
      ];
    }
    console.warn('skipping the PostgreSQL engine backend: set CTX_TEST_POSTGRES_URL=postgres://… to run it');
    return [];
  }
  return [
    {
      name: 'postgresql',
      async open() {
        const database = new PostgresTestDatabase(url);
        await database.create();
        const engine = await createEngine({ databaseUrl: database.url });
        return {
          engine,
          async cleanup() {
            await engine.close();
            await database.drop();
          },
        };
      },
    },
  ];
}
