import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeWithRetry } from '../../conformance/concurrency-conformance.js';
import { collectPages, expectLinearHistory, isErrorWithCode, makeTenant, putVersion } from '../../conformance/fixtures.js';
import type { Store } from '../../store.js';
import { createSqliteStore } from './create-sqlite-store.js';

describe('sqlite: two connections on one file, like two processes', () => {
  let directory: string;
  let path: string;
  let first: Store;
  let second: Store;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'ctx-sqlite-two-'));
    path = join(directory, 'context.db');
    [first, second] = await Promise.all([createSqliteStore({ path }), createSqliteStore({ path })]);
    await first.tenants.create(makeTenant('acme'));
  });

  afterEach(async () => {
    await first.close();
    await second.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('loses no update when writers on both connections retry on conflict', async () => {
    const writersPerStore = 4;
    const writesEach = 8;
    await Promise.all(
      [first, second].flatMap((store, storeIndex) =>
        Array.from({ length: writersPerStore }, async (_, writer) => {
          for (let write = 0; write < writesEach; write += 1) {
            await writeWithRetry(store, 'acme', 'shared', `${storeIndex}:${writer}:${write}`);
          }
        }),
      ),
    );
    const total = 2 * writersPerStore * writesEach;
    for (const store of [first, second]) {
      const history = await collectPages((cursor) => store.contexts.listVersions('acme', 'shared', { cursor }));
      expectLinearHistory(history, total);
      expect(new Set(history.map((version) => version.value)).size).toBe(total);
    }
  });

  it('lets exactly one of many commits expecting the same version win across connections', async () => {
    await putVersion(first, 'acme', 'k', 'base', null);
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, index) => putVersion(index % 2 === 0 ? first : second, 'acme', 'k', index, 1)),
    );
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
    expect(results.length - rejected.length).toBe(1);
    expect(rejected.every((result) => isErrorWithCode(result.reason, 'version_conflict'))).toBe(true);
    expect((await second.contexts.getCurrent('acme', 'k'))?.version).toBe(2);
  });

  it('sees the other connection’s committed writes at once', async () => {
    await putVersion(first, 'acme', 'k', 'from first', null);
    expect((await second.contexts.getCurrent('acme', 'k'))?.value).toBe('from first');
    await putVersion(second, 'acme', 'k', 'from second', 1);
    expect((await first.contexts.getCurrent('acme', 'k'))?.value).toBe('from second');
  });

  it('drops cached current versions once the other connection commits', async () => {
    await putVersion(first, 'acme', 'k', 'one', null);
    for (let round = 1; round <= 5; round += 1) {
      expect((await first.contexts.getCurrent('acme', 'k'))?.version).toBe(round);
      expect((await first.contexts.getCurrent('acme', 'k'))?.version).toBe(round);
      await putVersion(second, 'acme', 'k', `round ${round}`, round);
      await new Promise((resolve) => setImmediate(resolve));
      expect((await first.contexts.getCurrent('acme', 'k'))?.value).toBe(`round ${round}`);
    }
  });

  it('reads a tenant’s policy changed by the other connection, and its own change at once', async () => {
    for (let round = 1; round <= 3; round += 1) {
      expect((await first.tenants.get('acme'))?.policy).toEqual(round === 1 ? {} : { minConfidence: (round - 1) / 10 });
      expect((await first.tenants.get('acme'))?.policy).toEqual(round === 1 ? {} : { minConfidence: (round - 1) / 10 });
      await second.tenants.setPolicy('acme', { minConfidence: round / 10 });
      await new Promise((resolve) => setImmediate(resolve));
      expect((await first.tenants.get('acme'))?.policy).toEqual({ minConfidence: round / 10 });
    }
    await first.tenants.setPolicy('acme', { minConfidence: 0.9 });
    expect((await first.tenants.get('acme'))?.policy).toEqual({ minConfidence: 0.9 });
  });
});
