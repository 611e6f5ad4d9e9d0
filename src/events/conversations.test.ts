import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventRecord } from '../core/event-context.js';
import type { Engine } from '../engine.js';
import { engineBackends } from '../test-support/engines.js';
import { Conversations } from './conversations.js';

const BASE = Date.parse('2025-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(engineBackends)('agent conversations ($name)', (backend) => {
  let engine: Engine;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ engine, cleanup } = await backend.open());
    await engine.tenants.create({ id: 'acme' });
  });
  afterEach(() => cleanup());

  async function emitMany(count: number, sessionId: string, from: number, agentId = 'busy'): Promise<string[]> {
    const refs: string[] = [];
    for (let index = 0; index < count; index++) {
      const emitted = await engine.events.emit(
        'agent.step',
        { index },
        { tenantId: 'acme', agentId, sessionId, timestamp: iso(from + index) },
      );
      refs.push(emitted.ref);
    }
    return refs;
  }

  /** Every record of a session of the agent, oldest first, through plain paging (the oracle). */
  async function allOf(sessionId: string): Promise<EventRecord[]> {
    const records: EventRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await engine.events.query('acme', { agentId: 'busy', sessionId, cursor, limit: 500 });
      records.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return records;
  }

  it('summarises the latest session of an agent with more events than one scan used to read', async () => {
    await emitMany(5_200, 'session_old', BASE);
    await emitMany(40, 'session_other_agent', BASE + 10_000, 'quiet');
    const newer = await emitMany(120, 'session_new', BASE + 20_000);
    // three events at the same millisecond: the newest is the last by (timestamp, ref)
    for (const index of [0, 1, 2]) {
      await engine.events.emit(
        'agent.tied',
        { index },
        { tenantId: 'acme', agentId: 'busy', sessionId: 'session_new', timestamp: iso(BASE + 30_000) },
      );
    }
    const expected = (await allOf('session_new')).slice(-25);
    expect(expected).toHaveLength(25);

    const summary = await engine.events.agentConversation('acme', 'busy', { limit: 25 });
    expect(summary).toMatchObject({
      agentId: 'busy',
      sessionId: 'session_new',
      status: 'idle',
      conversationStarted: newer[0],
      contextChainLength: 123,
    });
    expect(summary.contexts.map((item) => item.ref)).toEqual(expected.map((record) => record.ref));
    expect(summary.contexts.at(-1)?.event).toBe('agent.tied');
  });

  it('reports the session of the newest event even when it is the only one, and counts up to the maximum', async () => {
    const old = await emitMany(1_200, 'session_long', BASE);
    const conversations = new Conversations(
      { query: (tenantId, query) => engine.events.query(tenantId, query) },
      { maxChainLength: 1_000 },
    );
    const capped = await conversations.agentConversation('acme', 'busy', { limit: 3, now: BASE + 1_200 });
    expect(capped).toMatchObject({
      sessionId: 'session_long',
      status: 'active_session',
      conversationStarted: old[0],
      contextChainLength: 1_000,
    });
    expect(capped.contexts.map((item) => item.ref)).toEqual(old.slice(-3));

    const [latest] = await emitMany(1, 'session_latest', BASE + 5_000);
    const switched = await conversations.agentConversation('acme', 'busy', { now: BASE + 5_000 + 31 * 60 * 1000 });
    expect(switched).toMatchObject({
      sessionId: 'session_latest',
      status: 'idle',
      conversationStarted: latest,
      contextChainLength: 1,
      contexts: [{ ref: latest }],
    });
    expect(await conversations.agentConversation('acme', 'nobody')).toMatchObject({ status: 'no_events', contextChainLength: 0 });
  });
});
