import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, waitFor } from '../cache/conformance/wait-for.js';
import type { PubSubPort } from '../cache/pubsub-port.js';
import type { ContextUpdate } from '../core/context-update.js';
import type { EngineEventMap } from '../core/engine-events.js';
import { connectBusFanout, type DisconnectBusFanout } from './bus-fanout.js';
import { createEventBus, type EventBus } from './event-bus.js';

const update: ContextUpdate = {
  id: 'u1',
  tenantId: 'tenant:with:colons',
  key: 'profile',
  op: 'put',
  value: { name: 'Ada', nested: [1, null, 'ü'] },
  source: 'api',
  author: 'alice',
  status: 'approved',
  flags: [],
  reviewReasons: ['policy'],
  contentHash: 'abc',
  createdAt: '2026-01-01T00:00:00.000Z',
};
const approved: EngineEventMap['update.approved'] = { tenantId: 'tenant:with:colons', update };

/** The fan-out behaviour, run over any pub/sub backend: `create` gives a new instance's pub/sub. */
export function describeBusFanout(name: string, create: () => Promise<PubSubPort>): void {
  describe(`bus fan-out over ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function instance(
      id: string,
      channel: string,
      errors: unknown[] = [],
    ): Promise<{ bus: EventBus; disconnect: DisconnectBusFanout }> {
      const pubsub = await create();
      const bus = createEventBus();
      const disconnect = await connectBusFanout(bus, pubsub, { instanceId: id, channel, onError: (error) => errors.push(error) });
      cleanups.push(() => pubsub.close(), disconnect);
      return { bus, disconnect };
    }

    it('shows an update approved on instance 1 to instance 2 exactly once, intact, and never echoes it', async () => {
      const channel = `ctx-test:${randomUUID()}`;
      const [one, two] = [await instance('one', channel), await instance('two', channel)];
      const seenOnOne: unknown[] = [];
      const seenOnTwo: unknown[] = [];
      one.bus.on('update.approved', (payload) => seenOnOne.push(payload));
      two.bus.on('update.approved', (payload) => seenOnTwo.push(payload));
      one.bus.emit('update.approved', approved);
      await waitFor('instance 2 to see the approval', () => seenOnTwo.length === 1);
      await sleep(150);
      expect(seenOnTwo).toEqual([approved]);
      expect(seenOnOne).toEqual([approved]);
    });

    it('publishes what a handler emits in reaction to a remote event, without loops', async () => {
      const channel = `ctx-test:${randomUUID()}`;
      const [one, two] = [await instance('one', channel), await instance('two', channel)];
      two.bus.on('update.approved', ({ tenantId, update: approvedUpdate }) => {
        two.bus.emit('update.conflicted', { tenantId, update: { ...approvedUpdate, status: 'conflicted' } });
      });
      const onOne: string[] = [];
      const onTwo: string[] = [];
      one.bus.onAny((event) => onOne.push(event));
      two.bus.onAny((event) => onTwo.push(event));
      one.bus.emit('update.approved', approved);
      await waitFor('the reaction to reach instance 1', () => onOne.includes('update.conflicted'));
      await sleep(150);
      expect(onOne).toEqual(['update.approved', 'update.conflicted']);
      expect(onTwo.sort()).toEqual(['update.approved', 'update.conflicted']); // the reaction is emitted inside the first handler
    });

    it('reports malformed messages, skips its own, and stops when disconnected', async () => {
      const channel = `ctx-test:${randomUUID()}`;
      const errors: unknown[] = [];
      const one = await instance('one', channel);
      const two = await instance('two', channel, errors);
      const raw = await create();
      cleanups.push(() => raw.close());
      const onTwo: unknown[] = [];
      two.bus.onAny((_event, payload) => onTwo.push(payload));
      await raw.publish(channel, 'not json');
      await raw.publish(channel, JSON.stringify({ v: 1, instanceId: 'x', name: 'update.approved', payload: 'text' }));
      await raw.publish(channel, JSON.stringify({ v: 1, instanceId: 'two', name: 'update.approved', payload: approved }));
      await waitFor('two malformed messages to be reported', () => errors.length === 2);
      await two.disconnect();
      one.bus.emit('update.approved', approved);
      two.bus.emit('update.rejected', approved);
      await sleep(150);
      expect(onTwo).toEqual([approved]);
    });
  });
}
