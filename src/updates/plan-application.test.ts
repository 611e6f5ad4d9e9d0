import { describe, expect, it } from 'vitest';
import type { ContextUpdate } from '../core/context-update.js';
import type { ContextVersion } from '../core/context-version.js';
import type { JsonValue } from '../core/json.js';
import { contentHashOf } from './content-hash.js';
import { planApplication } from './plan-application.js';

const now = '2026-01-01T00:00:00.000Z';

function update(fields: Partial<ContextUpdate>): ContextUpdate {
  return {
    id: 'upd_1',
    tenantId: 't',
    key: 'k',
    op: 'put',
    source: 'api',
    author: 'me',
    status: 'pending',
    flags: [],
    reviewReasons: [],
    contentHash: 'x',
    createdAt: now,
    ...fields,
  };
}

function version(number: number, value: JsonValue, deleted = false): ContextVersion {
  return {
    tenantId: 't',
    key: 'k',
    version: number,
    value,
    deleted,
    contentHash: contentHashOf(value),
    source: 'api',
    author: 'me',
    createdAt: now,
    parentVersion: number > 1 ? number - 1 : null,
    updateId: `upd_${number}`,
  };
}

const plan = (u: ContextUpdate, current?: ContextVersion, rollbackTarget?: ContextVersion) =>
  planApplication({ update: u, current, rollbackTarget, maxValueBytes: 1000, now });

describe('planApplication', () => {
  it('appends a first version', () => {
    const result = plan(update({ value: { a: 1 } }));
    expect(result).toMatchObject({ kind: 'append', expectedCurrentVersion: null, draft: { value: { a: 1 }, deleted: false } });
  });

  it('is a no-op for an identical value, whatever the key order', () => {
    const result = plan(update({ value: { b: 2, a: 1 } }), version(3, { a: 1, b: 2 }));
    expect(result).toMatchObject({ kind: 'noop' });
  });

  it('re-applies a patch whose base moved', () => {
    const result = plan(update({ op: 'patch', patch: { b: null, c: 3 }, baseVersion: 1 }), version(2, { a: 1, b: 2 }));
    expect(result).toMatchObject({ kind: 'append', expectedCurrentVersion: 2, draft: { value: { a: 1, c: 3 } } });
  });

  it('conflicts a put, delete or rollback whose base moved', () => {
    for (const op of ['put', 'delete', 'rollback'] as const) {
      const result = plan(
        update({ op, value: op === 'put' ? 1 : undefined, toVersion: 1, baseVersion: 1 }),
        version(2, 5),
        version(1, 4),
      );
      expect(result).toMatchObject({ kind: 'conflict', code: 'base_moved' });
    }
  });

  it('treats base null as "must not exist" and a tombstone as not existing', () => {
    expect(plan(update({ value: 1, baseVersion: null }), version(1, 1))).toMatchObject({ kind: 'conflict' });
    expect(plan(update({ value: 1, baseVersion: null }), version(2, null, true))).toMatchObject({
      kind: 'append',
      expectedCurrentVersion: 2,
    });
  });

  it('needs a live document to patch or delete', () => {
    expect(plan(update({ op: 'patch', patch: {} }))).toMatchObject({ kind: 'conflict', code: 'document_missing' });
    expect(plan(update({ op: 'delete' }), version(2, null, true))).toMatchObject({ kind: 'conflict', code: 'document_missing' });
  });

  it('writes a tombstone on delete and restores old values on rollback', () => {
    expect(plan(update({ op: 'delete' }), version(1, 'x'))).toMatchObject({
      kind: 'append',
      draft: { deleted: true, value: null },
    });
    expect(plan(update({ op: 'rollback', toVersion: 1 }), version(2, 'new'), version(1, 'old'))).toMatchObject({
      kind: 'append',
      draft: { value: 'old', deleted: false },
    });
    expect(plan(update({ op: 'rollback', toVersion: 1 }), version(2, 'new'))).toMatchObject({ code: 'version_missing' });
  });

  it('refuses a patch result over the size limit', () => {
    const result = plan(update({ op: 'patch', patch: { big: 'x'.repeat(2000) } }), version(1, {}));
    expect(result).toMatchObject({ kind: 'conflict', code: 'value_too_large' });
  });
});
