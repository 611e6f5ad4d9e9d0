import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeKnowledgeConformance } from '../../conformance/knowledge-conformance.js';
import { createSqliteStore } from './create-sqlite-store.js';

const directories = new Map<object, string>();

describeKnowledgeConformance({
  name: 'sqlite',
  async create() {
    const directory = mkdtempSync(join(tmpdir(), 'ctx-knowledge-'));
    const store = await createSqliteStore({ path: join(directory, 'context.db') });
    directories.set(store, directory);
    return store;
  },
  async destroy(store) {
    await store.close();
    rmSync(directories.get(store) ?? '', { recursive: true, force: true });
  },
});
