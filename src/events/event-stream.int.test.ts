import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeWithRedis } from '../cache/conformance/redis-test-gate.js';
import { sleep, waitFor } from '../cache/conformance/wait-for.js';
import type { EventRecord } from '../core/event-context.js';
import { createServerHarness, type ServerHarness } from '../server/testing/server-harness.js';
import { connectWebSocket } from '../test-support/ws-client.js';
import { EVENT_STREAM_CHANNEL } from './event-stream.js';

describeWithRedis(`event subscriptions across instances through Redis (${EVENT_STREAM_CHANNEL})`, (redisUrl) => {
  // two instances, each with its own store, sharing one Redis: only the event stream connects them
  let one: ServerHarness;
  let two: ServerHarness;

  beforeEach(async () => {
    one = await createServerHarness({ config: { redisUrl } });
    two = await createServerHarness({ config: { redisUrl } });
    for (const harness of [one, two]) {
      for (const id of ['acme', 'globex']) await harness.engine.tenants.create({ id });
    }
  });
  afterEach(async () => {
    await one.close();
    await two.close();
  });

  /** The records of one correlation a listener saw (the channel is shared with whatever else uses this Redis). */
  function collect(harness: ServerHarness, correlationId: string): EventRecord[] {
    const seen: EventRecord[] = [];
    harness.engine.events.subscribe((record) => {
      if (record.context.correlationId === correlationId) seen.push(record);
    });
    return seen;
  }

  it('delivers an event emitted on one instance to a subscriber on the other, once, intact, without echo', async () => {
    const correlationId = `corr_${randomUUID()}`;
    const onOne = collect(one, correlationId);
    const onTwo = collect(two, correlationId);
    const emitted = await one.engine.events.emit(
      'agent.status',
      { status: 'active', nested: [1, null, 'ü'] },
      { tenantId: 'acme', correlationId, agentId: 'my_agent', sessionId: 'session_1' },
    );
    await waitFor('the event on instance two', () => onTwo.length > 0);
    await sleep(100); // room for a duplicate or an echo to arrive
    expect(onTwo).toEqual([
      {
        tenantId: 'acme',
        ref: emitted.ref,
        event: 'agent.status',
        context: emitted.context,
        data: { status: 'active', nested: [1, null, 'ü'] },
      },
    ]);
    expect(onOne.map((record) => record.ref)).toEqual([emitted.ref]);
  });

  it('streams it to a WebSocket subscriber of the other instance, and only to the key of its tenant', async () => {
    await two.app.listen({ host: '127.0.0.1', port: 0 });
    const address = two.app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const correlationId = `corr_${randomUUID()}`;
    const subscribe = (path: string, token: string) =>
      connectWebSocket(`ws://127.0.0.1:${port}${path}?correlation_id=${correlationId}`, { authorization: `Bearer ${token}` });
    const acme = subscribe('/v1/tenants/acme/context/subscribe', await two.key('reader', 'acme'));
    const globex = subscribe('/v1/context/subscribe', await two.key('reader', 'globex'));
    for (const stream of [acme, globex]) {
      expect(await stream.opened).toBe(101);
      await waitFor('the subscription', () => stream.messages.length === 1);
    }
    const post = async (tenant: string, event: string) => {
      const response = await one.call('POST', `/v1/tenants/${tenant}/events`, {
        body: { event },
        headers: { 'x-correlation-id': correlationId },
      });
      expect(response.statusCode).toBe(201);
      return (response.json() as { ref: string }).ref;
    };
    const acmeRef = await post('acme', 'acme.secret');
    const globexRef = await post('globex', 'globex.own');
    const events = (messages: Record<string, unknown>[]) => messages.filter((message) => message.type === 'event');
    await waitFor('acme’s event', () => events(acme.messages).length > 0);
    await waitFor('globex’s event', () => events(globex.messages).length > 0);
    await sleep(100);
    expect(events(acme.messages)).toMatchObject([{ ref: acmeRef, event: 'acme.secret', context: { correlationId } }]);
    expect(events(globex.messages)).toMatchObject([{ ref: globexRef, event: 'globex.own' }]);
    for (const stream of [acme, globex]) stream.socket.close();
  });
});
