import { describe, expect, it } from 'vitest';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { expectError, makeDraft, makeTenant, makeUpdate, putVersion } from './fixtures.js';

export function describeCommitConformance(options: StoreConformanceOptions): void {
  describe('commit', () => {
    const store = useFreshStore(options);
    const setUp = () => store().tenants.create(makeTenant('acme'));

    it('inserts an update without a version, with every field intact', async () => {
      await setUp();
      const update = makeUpdate('acme', 'k', {
        op: 'patch',
        value: undefined,
        patch: { title: null, body: 'x' },
        baseVersion: null,
        confidence: 0.42,
        comment: 'why',
        status: 'pending',
        flags: ['hidden_html', 'base64_blob'],
        reviewReasons: ['policy', 'flags'],
      });
      const result = await store().contexts.commit({ update });
      expect(result).toEqual({ update });
      expect(await store().contexts.getUpdate('acme', update.id)).toEqual(update);
      expect(await store().contexts.getCurrent('acme', 'k')).toBeUndefined();
    });

    it('keeps a rollback target and a numeric base version', async () => {
      await setUp();
      const update = makeUpdate('acme', 'k', { op: 'rollback', value: undefined, toVersion: 3, baseVersion: 7 });
      await store().contexts.commit({ update });
      expect(await store().contexts.getUpdate('acme', update.id)).toEqual(update);
    });

    it('refuses an update id that is taken', async () => {
      await setUp();
      const update = makeUpdate('acme', 'k', { status: 'pending' });
      await store().contexts.commit({ update });
      await expectError(store().contexts.commit({ update }), 'ConflictError', 'update_exists');
    });

    it('moves an update from the expected status and appends its version', async () => {
      await setUp();
      const pending = makeUpdate('acme', 'k', { status: 'pending', value: 'v' });
      await store().contexts.commit({ update: pending });
      const applied = { ...pending, status: 'applied' as const, reviewedBy: 'ann', reviewedAt: pending.createdAt };
      const result = await store().contexts.commit({
        update: applied,
        expectStatus: 'pending',
        append: { expectedCurrentVersion: null, draft: makeDraft('v') },
      });
      expect(result.update).toEqual({ ...applied, appliedVersion: 1 });
      expect(result.version).toMatchObject({ version: 1, value: 'v', updateId: pending.id });
      expect(await store().contexts.getUpdate('acme', pending.id)).toEqual({ ...applied, appliedVersion: 1 });
    });

    it('reports the stored status when it is not the expected one', async () => {
      await setUp();
      const update = makeUpdate('acme', 'k', { status: 'rejected' });
      await store().contexts.commit({ update });
      const error = await expectError(
        store().contexts.commit({ update: { ...update, status: 'applied' }, expectStatus: 'pending' }),
        'ConflictError',
        'update_state_changed',
      );
      expect(error.details?.status).toBe('rejected');
      await expectError(
        store().contexts.commit({ update: makeUpdate('acme', 'k'), expectStatus: 'pending' }),
        'NotFoundError',
        'update_not_found',
      );
    });

    it('fails the whole commit on a version conflict, reporting the current version', async () => {
      await setUp();
      await putVersion(store(), 'acme', 'k', 'one', null);
      const pending = makeUpdate('acme', 'k', { status: 'pending' });
      await store().contexts.commit({ update: pending });
      const error = await expectError(
        store().contexts.commit({
          update: { ...pending, status: 'applied' },
          expectStatus: 'pending',
          append: { expectedCurrentVersion: null, draft: makeDraft('two') },
        }),
        'ConflictError',
        'version_conflict',
      );
      expect(error.details?.currentVersion).toBe(1);
      expect((await store().contexts.getUpdate('acme', pending.id))?.status).toBe('pending');
      expect((await store().contexts.getCurrent('acme', 'k'))?.version).toBe(1);
      const fresh = makeUpdate('acme', 'k');
      await expectError(
        store().contexts.commit({ update: fresh, append: { expectedCurrentVersion: 5, draft: makeDraft('x') } }),
        'ConflictError',
        'version_conflict',
      );
      expect(await store().contexts.getUpdate('acme', fresh.id)).toBeUndefined();
    });

    it('refuses a commit to a tenant that does not exist', async () => {
      await setUp();
      await expectError(putVersion(store(), 'nobody', 'k', 'v', null), 'NotFoundError', 'tenant_not_found');
      await expectError(
        store().contexts.commit({ update: makeUpdate('nobody', 'k', { status: 'pending' }) }),
        'NotFoundError',
        'tenant_not_found',
      );
    });

    it('lets a failed commit leave the commits around it untouched', async () => {
      await setUp();
      const results = await Promise.allSettled([
        putVersion(store(), 'acme', 'a', 1, null),
        putVersion(store(), 'acme', 'b', 1, 9),
        putVersion(store(), 'acme', 'c', 1, null),
      ]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await store().contexts.listKeys('acme', {})).items.map((summary) => summary.key)).toEqual(['a', 'c']);
      expect(await store().contexts.getCurrent('acme', 'b')).toBeUndefined();
    });
  });
}
