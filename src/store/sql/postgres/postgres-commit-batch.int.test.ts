import { afterEach, beforeEach, expect, it } from 'vitest';
import { isErrorWithCode, makeDraft, makeTenant, makeUpdate } from '../../conformance/fixtures.js';
import type { Store } from '../../store.js';
import { createPostgresStore } from './create-postgres-store.js';
import { describePostgres } from './postgres-test-database.js';

// One statement writes a whole batch, and its sub-statements cannot see or change each other's rows: an update
// inserted and replaced (or replaced twice) in one batch must still end in its last state.
describePostgres('postgres: a commit batch written in one statement', (database) => {
  let store: Store;

  beforeEach(async () => {
    store = await createPostgresStore({ url: database.url, schema: database.nextSchema() });
    await store.tenants.create(makeTenant('acme'));
  });

  afterEach(async () => {
    await store.close();
  });

  it('keeps the last state of an update inserted and then changed in the same batch', async () => {
    const update = makeUpdate('acme', 'k', { status: 'pending', comment: 'lone \ud800 surrogate' });
    const approved = { ...update, status: 'approved' as const, reviewedBy: 'reviewer' };
    const results = await Promise.allSettled([
      store.contexts.commit({ update }),
      store.contexts.commit({
        update: approved,
        expectStatus: 'pending',
        append: { expectedCurrentVersion: null, draft: makeDraft('v1') },
      }),
      store.contexts.commit({ update: { ...update, status: 'rejected' }, expectStatus: 'pending' }),
      store.contexts.commit({ update }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect(results[2]?.status === 'rejected' && isErrorWithCode(results[2].reason, 'update_state_changed')).toBe(true);
    expect(results[3]?.status === 'rejected' && isErrorWithCode(results[3].reason, 'update_exists')).toBe(true);
    const stored = await store.contexts.getUpdate('acme', update.id);
    expect(stored).toMatchObject({
      status: 'approved',
      reviewedBy: 'reviewer',
      appliedVersion: 1,
      comment: 'lone \ufffd surrogate',
    });
    expect(await store.contexts.getCurrent('acme', 'k')).toMatchObject({ version: 1, value: 'v1', updateId: update.id });
  });

  it('keeps the last of two changes of one update in the same batch, and one head per key', async () => {
    const update = makeUpdate('acme', 'k', { status: 'pending' });
    await store.contexts.commit({ update });
    const other = makeUpdate('acme', 'k', { status: 'approved' });
    const results = await Promise.all([
      store.contexts.commit({
        update: { ...update, status: 'approved' },
        expectStatus: 'pending',
        append: { expectedCurrentVersion: null, draft: makeDraft('v1') },
      }),
      store.contexts.commit({ update: other, append: { expectedCurrentVersion: 1, draft: makeDraft('v2') } }),
      store.contexts.commit({ update: { ...update, status: 'superseded', reason: 'replaced' }, expectStatus: 'approved' }),
    ]);
    expect(results.map((result) => result.version?.version)).toEqual([1, 2, undefined]);
    expect(await store.contexts.getUpdate('acme', update.id)).toMatchObject({ status: 'superseded', reason: 'replaced' });
    expect(await store.contexts.getCurrent('acme', 'k')).toMatchObject({ version: 2, value: 'v2' });
  });
});
