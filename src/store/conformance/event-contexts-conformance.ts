import { describe, expect, it } from 'vitest';
import type { EventContext, EventRecord } from '../../core/event-context.js';
import { eventRecordBytes } from '../event-record-bytes.js';
import { type StoreConformanceOptions, useFreshStore } from './conformance-options.js';
import { expectError, instant, makeTenant } from './fixtures.js';

let counter = 0;

/** A record with a unique ref (24 hex digits) unless overridden. */
export function makeEventRecord(tenantId: string, overrides: Partial<EventContext> = {}, event = 'agent.status'): EventRecord {
  counter += 1;
  const hex = counter.toString(16).padStart(24, '0');
  const eventId = overrides.eventId ?? `evt_${counter.toString(16).padStart(16, '0')}`;
  return {
    tenantId,
    ref: `ctx_agent_analyst_${hex}`,
    event,
    data: { status: 'active', step: counter },
    context: {
      eventId,
      correlationId: 'corr_1',
      parentEventId: null,
      rootEventId: eventId,
      depth: 0,
      agentId: 'analyst',
      clientId: null,
      sessionId: 'session_1',
      originator: null,
      timestamp: instant(counter),
      traceId: 'a'.repeat(32),
      spanId: counter.toString(16).padStart(16, '0'),
      custom: {},
      ...overrides,
    },
  };
}

export function describeEventContextConformance(options: StoreConformanceOptions): void {
  describe('event contexts', () => {
    const store = useFreshStore(options);
    const events = () => store().eventContexts;

    it('stores records once per (tenant, ref) and reads them back exactly', async () => {
      await store().tenants.create(makeTenant('acme'));
      const record = makeEventRecord('acme', {
        custom: { iteration: 3, nested: { list: [1, 'two', null, true], 'ü ключ': '✓' } },
        clientId: 'client_9',
        originator: 'orchestrator',
      });
      const child = makeEventRecord('acme', {
        parentEventId: record.context.eventId,
        rootEventId: record.context.eventId,
        depth: 1,
      });
      const noData = { ...makeEventRecord('acme'), data: null };
      expect(await events().putMany([record, child, noData])).toBe(3);
      expect(await events().putMany([record, { ...record, data: { other: true } }])).toBe(0);
      expect(await events().get('acme', record.ref)).toEqual(record);
      expect(await events().get('acme', child.ref)).toEqual(child);
      expect(await events().get('acme', noData.ref)).toEqual(noData);
      expect(await events().get('acme', 'ctx_agent_analyst_ffffffffffffffffffffffff')).toBeUndefined();
      expect(await events().count('acme')).toBe(3);
      expect(await events().putMany([])).toBe(0);
      // the size counts each stored context once, by its own bytes (a repeated ref added nothing)
      const bytes = [record, child, noData].reduce((sum, stored) => sum + eventRecordBytes(stored), 0);
      expect(await events().size('acme')).toEqual({ events: 3, bytes });
      expect(eventRecordBytes(record)).toBeGreaterThan(eventRecordBytes(noData));
    });

    it('never answers one tenant with another tenant’s records', async () => {
      await store().tenants.create(makeTenant('acme'));
      await store().tenants.create(makeTenant('globex'));
      const mine = makeEventRecord('acme');
      const theirs = { ...makeEventRecord('globex', { correlationId: 'corr_1' }), ref: mine.ref };
      expect(await events().putMany([mine, theirs])).toBe(2);
      expect((await events().get('acme', mine.ref))?.tenantId).toBe('acme');
      expect((await events().get('globex', mine.ref))?.tenantId).toBe('globex');
      expect(await events().get('initech', mine.ref)).toBeUndefined();
      const onlyGlobex = makeEventRecord('globex');
      await events().putMany([onlyGlobex]);
      expect(await events().getMany('acme', [mine.ref, onlyGlobex.ref])).toEqual([mine]);
      const page = await events().query('acme', { correlationId: 'corr_1' });
      expect(page.items.map((item) => item.tenantId)).toEqual(['acme']);
      expect(await events().count('acme')).toBe(1);
      expect(await events().count('globex')).toBe(2);
      expect(await events().size('acme')).toEqual({ events: 1, bytes: eventRecordBytes(mine) });
      expect(await events().size('globex')).toEqual({
        events: 2,
        bytes: eventRecordBytes(theirs) + eventRecordBytes(onlyGlobex),
      });
      expect(await events().size('initech')).toEqual({ events: 0, bytes: 0 });
    });

    it('resolves a batch, ignoring unknown and repeated refs', async () => {
      await store().tenants.create(makeTenant('acme'));
      const records = Array.from({ length: 70 }, () => makeEventRecord('acme'));
      await events().putMany(records);
      const wanted = [...records.map((record) => record.ref), records[0]?.ref ?? '', 'ctx_x_y_000000000000000000000000'];
      const found = await events().getMany('acme', wanted);
      expect(found.map((record) => record.ref).sort()).toEqual(records.map((record) => record.ref).sort());
    });

    it('queries by correlation, event id, agent, session, name and time, oldest first, with cursors', async () => {
      await store().tenants.create(makeTenant('acme'));
      const a = makeEventRecord('acme', { correlationId: 'corr_a', agentId: 'planner', sessionId: 's1' }, 'plan.created');
      const b = makeEventRecord('acme', { correlationId: 'corr_a', agentId: 'writer', sessionId: 's1' }, 'draft.written');
      const c = makeEventRecord('acme', { correlationId: 'corr_b', agentId: 'writer', sessionId: 's2' }, 'draft.written');
      const sameTime = makeEventRecord('acme', { correlationId: 'corr_a', timestamp: b.context.timestamp }, 'draft.reviewed');
      await events().putMany([c, sameTime, b, a]);
      const refs = async (query: Parameters<ReturnType<typeof events>['query']>[1]) =>
        (await events().query('acme', query)).items.map((item) => item.ref);
      const tie = [b.ref, sameTime.ref].sort();
      expect(await refs({ correlationId: 'corr_a' })).toEqual([a.ref, ...tie]);
      expect(await refs({ eventId: b.context.eventId })).toEqual([b.ref]);
      expect(await refs({ agentId: 'writer' })).toEqual([b.ref, c.ref]);
      expect(await refs({ sessionId: 's1' })).toEqual([a.ref, b.ref]);
      expect(await refs({ eventName: 'draft.written' })).toEqual([b.ref, c.ref]);
      expect(await refs({ agentId: 'writer', sessionId: 's2' })).toEqual([c.ref]);
      expect(await refs({ since: b.context.timestamp })).toEqual([...tie, c.ref]);
      expect(await refs({ until: b.context.timestamp })).toEqual([a.ref]);
      expect(await refs({ since: b.context.timestamp, until: c.context.timestamp })).toEqual(tie);
      expect(await refs({ correlationId: 'corr_none' })).toEqual([]);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await events().query('acme', { limit: 1, cursor });
        expect(page.items.length).toBeLessThanOrEqual(1);
        seen.push(...page.items.map((item) => item.ref));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(seen).toEqual([a.ref, ...tie, c.ref]);
    });

    it('refuses a bad cursor, limit or time bound', async () => {
      await store().tenants.create(makeTenant('acme'));
      await expectError(events().query('acme', { cursor: 'nope' }), 'ValidationError', 'invalid_cursor');
      await expectError(events().query('acme', { limit: 0 }), 'ValidationError', 'invalid_limit');
      await expectError(events().query('acme', { since: 'yesterday' }), 'ValidationError', 'invalid_timestamp');
    });

    it('keeps every record when writers store overlapping batches at once', async () => {
      await store().tenants.create(makeTenant('acme'));
      const records = Array.from({ length: 200 }, () => makeEventRecord('acme'));
      const batches = Array.from({ length: 10 }, (_, index) => records.slice(index * 15, index * 15 + 60));
      const inserted = await Promise.all(batches.map((batch) => events().putMany(batch)));
      expect(inserted.reduce((sum, count) => sum + count, 0)).toBe(Math.min(200, 9 * 15 + 60));
      expect(await events().count('acme')).toBe(9 * 15 + 60);
      const stored = records.slice(0, 9 * 15 + 60).reduce((sum, record) => sum + eventRecordBytes(record), 0);
      expect(await events().size('acme')).toEqual({ events: 9 * 15 + 60, bytes: stored });
    });
  });
}
