import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '../store/memory/create-memory-store.js';
import { createSqliteStore } from '../store/sql/sqlite/create-sqlite-store.js';
import { describeEventTiers } from './event-tiers-suite.js';

describeEventTiers({
  name: 'memory',
  async open() {
    const store = createMemoryStore();
    return { store, cleanup: () => store.close() };
  },
});

describeEventTiers({
  name: 'a SQLite file',
  async open() {
    const directory = mkdtempSync(join(tmpdir(), 'ctx-tiers-'));
    const store = await createSqliteStore({ path: join(directory, 'context.db') });
    return {
      store,
      async cleanup() {
        await store.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  },
});
