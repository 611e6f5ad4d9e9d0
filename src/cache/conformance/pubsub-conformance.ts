import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PubSubPort } from '../pubsub-port.js';
import { sleep, waitFor } from './wait-for.js';

/** How a backend's test file hands pub/subs to the shared suite. */
export interface PubSubConformanceOptions {
  name: string;
  /** A new pub/sub — new connections, like a new engine instance — over the backend under test. */
  create: () => Promise<PubSubPort>;
}

/** The one suite every PubSubPort backend passes. Channels are unique to the run. */
export function describePubSubConformance(options: PubSubConformanceOptions): void {
  describe(`${options.name} pub/sub conformance`, () => {
    let created: PubSubPort[] = [];
    const instance = async (): Promise<PubSubPort> => {
      const pubsub = await options.create();
      created.push(pubsub);
      return pubsub;
    };
    const channel = (name: string): string => `ctx-test:${randomUUID()}:${name}`;
    afterEach(async () => {
      await Promise.all(created.map((pubsub) => pubsub.close()));
      created = [];
    });

    it('delivers what instance 1 publishes to instance 2, in order, to every handler', async () => {
      const [instance1, instance2] = [await instance(), await instance()];
      const events = channel('events');
      const first: string[] = [];
      const second: string[] = [];
      await instance2.subscribe(events, (message, from) => first.push(`${from === events}:${message}`));
      await instance2.subscribe(events, (message) => second.push(message));
      const sent = Array.from({ length: 50 }, (_, index) => `message ${index}`);
      for (const message of sent) expect(await instance1.publish(events, message)).toBe(true);
      await waitFor('all 50 messages', () => second.length === 50);
      expect(second).toEqual(sent);
      expect(first).toEqual(sent.map((message) => `true:${message}`));
    });

    it('keeps channels apart and stops delivery on unsubscribe', async () => {
      const [instance1, instance2] = [await instance(), await instance()];
      const [a, b] = [channel('a'), channel('b')];
      const onA: string[] = [];
      const kept: string[] = [];
      const offA = await instance2.subscribe(a, (message) => onA.push(message));
      await instance2.subscribe(a, (message) => kept.push(message));
      await instance1.publish(b, 'for b');
      await instance1.publish(a, 'for a');
      await waitFor('the message on a', () => kept.length === 1);
      await offA();
      await instance1.publish(a, 'after unsubscribe');
      await waitFor('the second message on a', () => kept.length === 2);
      await sleep(50);
      expect(onA).toEqual(['for a']);
      expect(kept).toEqual(['for a', 'after unsubscribe']);
    });

    it('isolates handlers: one that throws does not stop the others', async () => {
      const [instance1, instance2] = [await instance(), await instance()];
      const events = channel('events');
      const reached: string[] = [];
      await instance2.subscribe(events, () => {
        throw new Error('handler failure');
      });
      await instance2.subscribe(events, (message) => reached.push(message));
      await instance1.publish(events, 'one');
      await instance1.publish(events, 'two');
      await waitFor('both messages', () => reached.length === 2);
    });

    it('publishes to a channel nobody listens to, and reports itself healthy', async () => {
      const pubsub = await instance();
      expect(await pubsub.publish(channel('nobody'), 'x')).toBe(true);
      expect(await pubsub.health()).toMatchObject({ ok: true });
    });
  });
}
