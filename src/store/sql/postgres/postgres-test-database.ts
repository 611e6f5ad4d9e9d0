import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Store } from '../../store.js';
import { createPostgresStore, type PostgresStoreOptions } from './create-postgres-store.js';

/** The server the PostgreSQL tests use: any database on it serves as the admin connection. */
export const POSTGRES_TEST_URL = process.env.CTX_TEST_POSTGRES_URL;

/**
 * A describe block that needs PostgreSQL: skipped (with a note) when CTX_TEST_POSTGRES_URL is unset, except under
 * CI=true, where it fails instead, so that CI never passes without running it.
 */
export function describePostgres(name: string, body: (database: PostgresTestDatabase) => void): void {
  if (POSTGRES_TEST_URL === undefined || POSTGRES_TEST_URL === '') {
    if (process.env.CI === 'true') {
      describe(name, () => {
        it('needs CTX_TEST_POSTGRES_URL', () => {
          throw new Error('CTX_TEST_POSTGRES_URL is not set, and these tests are required under CI=true (.ci/run sets it).');
        });
      });
      return;
    }
    console.warn(`skipping "${name}": set CTX_TEST_POSTGRES_URL=postgres://… to run the PostgreSQL tests`);
    describe.skip(name, () => body(new PostgresTestDatabase('postgres://unset')));
    return;
  }
  const database = new PostgresTestDatabase(POSTGRES_TEST_URL);
  describe(name, () => {
    beforeAll(() => database.create());
    afterAll(() => database.drop());
    body(database);
  });
}

/** A database of its own for one test file (dropped afterwards), and a fresh schema in it for every store. */
export class PostgresTestDatabase {
  readonly name = `ctx_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  readonly #adminUrl: string;
  #schemas = 0;

  constructor(adminUrl: string) {
    this.#adminUrl = adminUrl;
  }

  /** The URL of this test database. */
  get url(): string {
    const url = new URL(this.#adminUrl);
    url.pathname = `/${this.name}`;
    return url.toString();
  }

  async create(): Promise<void> {
    await withClient(this.#adminUrl, (client) => client.query(`CREATE DATABASE ${this.name}`));
  }

  async drop(): Promise<void> {
    await withClient(this.#adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
  }

  /** A schema name no store of this file has used yet. */
  nextSchema(): string {
    this.#schemas += 1;
    return `s${this.#schemas}`;
  }

  /** A migrated store in a fresh schema. */
  openStore(options: Partial<PostgresStoreOptions> = {}): Promise<Store> {
    return createPostgresStore({ url: this.url, schema: this.nextSchema(), ...options });
  }

  /** Runs `work` on an admin connection to this test database. */
  admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    return withClient(this.url, work);
  }

  /** Ends every other connection to this test database (as an administrator or a crash would). */
  async terminateConnections(): Promise<number> {
    return withClient(this.#adminUrl, async (client) => {
      const result = await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [this.name],
      );
      return result.rowCount ?? 0;
    });
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}
