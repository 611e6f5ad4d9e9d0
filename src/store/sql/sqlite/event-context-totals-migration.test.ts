import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEventRecord } from '../../conformance/event-contexts-conformance.js';
import { makeTenant } from '../../conformance/fixtures.js';
import { eventRecordBytes } from '../../event-record-bytes.js';
import { createSqliteStore } from './create-sqlite-store.js';

describe('sqlite: migration 0011 (event context totals)', () => {
  let directory: string;
  let path: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'ctx-event-totals-'));
    path = join(directory, 'context.db');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('fills the totals of a database written before it, with the bytes inserts count', async () => {
    const records = [
      makeEventRecord('acme', { custom: { iteration: 3, label: 'ü ✓' } }),
      { ...makeEventRecord('acme'), data: null },
      makeEventRecord('globex'),
    ];
    const store = await createSqliteStore({ path });
    await store.tenants.create(makeTenant('acme'));
    await store.tenants.create(makeTenant('globex'));
    expect(await store.eventContexts.putMany(records)).toBe(3);
    await store.close();

    // the database as it was before 0011 (and 0012): no totals table, no token columns, neither recorded
    const connection = new Database(path);
    connection.exec(
      'DROP TABLE event_context_totals; ALTER TABLE context_versions DROP COLUMN tokens_o200k; ' +
        "ALTER TABLE context_versions DROP COLUMN tokens_cl100k; DELETE FROM kysely_migration WHERE name >= '0011'",
    );
    connection.close();

    const reopened = await createSqliteStore({ path });
    try {
      const [first, second, third] = records.map(eventRecordBytes);
      expect(await reopened.eventContexts.size('acme')).toEqual({ events: 2, bytes: (first ?? 0) + (second ?? 0) });
      expect(await reopened.eventContexts.size('globex')).toEqual({ events: 1, bytes: third });
      // later inserts add to the filled totals
      const more = makeEventRecord('acme');
      await reopened.eventContexts.putMany([more, ...records]);
      expect((await reopened.eventContexts.size('acme')).events).toBe(3);
    } finally {
      await reopened.close();
    }
  });
});
