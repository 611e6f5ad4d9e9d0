import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreConformance } from '../../conformance/store-conformance.js';
import { createSqliteStore } from './create-sqlite-store.js';

const directories = new WeakMap<object, string>();

describeStoreConformance({
  name: 'sqlite file',
  create: async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ctx-sqlite-'));
    const store = await createSqliteStore({ path: join(directory, 'nested', 'context.db') });
    directories.set(store, directory);
    return store;
  },
  destroy: async (store) => {
    await store.close();
    rmSync(directories.get(store) ?? '', { recursive: true, force: true });
  },
});

describeStoreConformance({
  name: 'sqlite :memory:',
  create: () => createSqliteStore({ path: ':memory:' }),
  destroy: (store) => store.close(),
});
