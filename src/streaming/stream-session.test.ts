import { describe, expect, it } from 'vitest';
import type { ContextPacket, Criticality, Injection } from '../core/injection.js';
import { BaseStreamInjector } from './base-injector.js';
import { ManualScheduler } from './manual-scheduler.js';
import type { StreamEvent } from './stream-event.js';
import { StreamHooks } from './stream-hooks.js';
import { createModePolicy, type StreamMode } from './stream-modes.js';
import { StreamSession } from './stream-session.js';

/** Lets pending promise callbacks run (no wall-clock time involved). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function packet(
  name: string,
  priority = 50,
  criticality: Criticality = 'important',
  extra: Partial<ContextPacket['metadata']> = {},
): ContextPacket {
  return { information: { name }, metadata: { priority, criticality, source: 'test', ...extra } };
}

function setup(options: { mode?: StreamMode; limit?: number; maxUnconfirmed?: number; failDelivery?: boolean } = {}) {
  const scheduler = new ManualScheduler(1_000);
  const delivered: string[] = [];
  let next = 0;
  const hooks = new StreamHooks({ scheduler });
  const injector = new BaseStreamInjector({
    tenantId: 't1',
    sessionId: 's1',
    scheduler,
    countTokens: (text) => text.length,
    newId: () => `i${++next}`,
    maxUnconfirmed: options.maxUnconfirmed ?? 100,
    deliver: (injection: Injection) => {
      if (options.failDelivery) throw new Error('sink down');
      delivered.push(String(injection.packet.information?.name));
    },
  });
  const session = new StreamSession({
    streamId: 's1',
    scheduler,
    injector,
    hooks,
    mode: createModePolicy(options.mode ?? 'active'),
    outbound: { limit: options.limit ?? 64 },
  });
  const events: StreamEvent[] = [];
  session.observe({ onEvent: (event) => events.push(event) });
  return { scheduler, delivered, hooks, injector, session, events };
}

const types = (events: StreamEvent[]) => events.map((event) => event.type);

describe('StreamSession', () => {
  it('publishes the lifecycle to observers in order, with the summary at the end', async () => {
    const { session, events } = setup();
    session.start({ channel: 'voice' });
    await session.input({ type: 'message', role: 'user', content: 'hi' });
    session.pause('client busy');
    session.resume();
    session.fail(new Error('socket reset'));
    expect(types(events)).toEqual(['stream.start', 'data', 'pause', 'resume', 'error', 'end']);
    expect(events[0]).toMatchObject({ streamId: 's1', at: 1_000, metadata: { channel: 'voice' } });
    expect(events.at(-1)).toMatchObject({ type: 'end', summary: { inputs: 1, delivered: 0 } });
    expect(session.state).toBe('ended');
    expect(() => session.input({ type: 'turn-end' })).toThrow(/has ended/);
  });

  it('for await: yields events as they come and ends after the stream ends', async () => {
    const { session } = setup();
    session.start();
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of session.events()) seen.push(event.type);
    })();
    await session.input({ type: 'turn-start' });
    await settle();
    await session.input({ type: 'turn-end' });
    session.end();
    await reading;
    expect(seen).toEqual(['data', 'data', 'end']);
  });

  it('for await: breaking out early unsubscribes the consumer', async () => {
    const { session } = setup();
    session.start();
    const iterator = session.events();
    await session.input({ type: 'turn-start' });
    await session.input({ type: 'turn-end' });
    const seen: string[] = [];
    for await (const event of iterator) {
      seen.push(event.type);
      break;
    }
    expect(seen).toEqual(['data']);
    expect(iterator.finished).toBe(true);
    await session.input({ type: 'sentence-end' });
    expect(iterator.queueDepth).toBe(0);
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('a consumer that never reads keeps a bounded buffer, losing data before lifecycle events', async () => {
    const { session } = setup();
    session.start();
    const slow = session.events({ limit: 5 });
    for (let index = 0; index < 50; index++) await session.input({ type: 'silence', ms: index });
    session.end();
    expect(slow.queueDepth).toBe(5);
    expect(slow.dropped).toBe(46);
    const seen: StreamEvent[] = [];
    for await (const event of slow) seen.push(event);
    expect(types(seen)).toEqual(['data', 'data', 'data', 'data', 'end']);
  });

  it('active mode pushes at the sync point; the ack confirms', async () => {
    const { session, delivered, injector, events } = setup();
    session.start();
    const result = session.inject(packet('tip'));
    await settle();
    expect(delivered).toEqual([]);
    await session.input({ type: 'turn-end' });
    expect(await result).toMatchObject({ outcome: 'delivered' });
    expect(delivered).toEqual(['tip']);
    expect(injector.unconfirmed).toBe(1);
    await session.input({ type: 'ack', id: 'i1' });
    expect(injector.unconfirmed).toBe(0);
    expect(types(events).filter((type) => type.startsWith('injection'))).toEqual(['injection.prepared', 'injection.delivered']);
  });

  it('passive mode only prepares: the client pulls due injections, highest priority first', async () => {
    const { session, delivered, events } = setup({ mode: 'passive' });
    session.start();
    const low = session.inject(packet('low', 10), { at: 'immediate' });
    const high = session.inject(packet('high', 90), { at: 'immediate' });
    const later = session.inject(packet('later', 99));
    await settle();
    expect(delivered).toEqual([]);
    expect(session.pull().map((injection) => injection.packet.information?.name)).toEqual(['high', 'low']);
    expect((await low).outcome).toBe('delivered');
    expect((await high).outcome).toBe('delivered');
    await session.input({ type: 'turn-end' });
    expect(session.pull(1).map((injection) => injection.packet.information?.name)).toEqual(['later']);
    await later;
    const deliveredEvents = events.filter((event) => event.type === 'injection.delivered');
    expect(deliveredEvents.map((event) => event.type === 'injection.delivered' && event.via)).toEqual(['pull', 'pull', 'pull']);
  });

  it('hybrid mode pushes critical and important, leaves the rest to pull', async () => {
    const { session, delivered } = setup({ mode: 'hybrid' });
    session.start();
    void session.inject(packet('must', 50, 'critical'), { at: 'immediate' });
    void session.inject(packet('nice', 50, 'helpful'), { at: 'immediate' });
    await settle();
    expect(delivered).toEqual(['must']);
    expect(session.pull().map((injection) => injection.packet.information?.name)).toEqual(['nice']);
  });

  it('paused: nothing is pushed, the queue stays bounded dropping lowest priority first; resume flushes', async () => {
    const { session, delivered, events } = setup({ limit: 3 });
    session.start();
    session.pause('slow consumer');
    expect(session.canInject()).toBe(false);
    const results = [10, 80, 30, 60, 5].map((priority) => session.inject(packet(`p${priority}`, priority), { at: 'immediate' }));
    await settle();
    expect(session.queueDepth).toBe(3);
    expect(delivered).toEqual([]);
    const dropped = events
      .filter((event) => event.type === 'injection.dropped')
      .map((event) => event.type === 'injection.dropped' && event.injection.packet.metadata.priority);
    expect(dropped).toEqual([10, 5]);
    expect(session.summary.dropped).toBe(2);
    expect((await results[0])?.outcome).toBe('dropped');
    session.resume();
    await settle();
    expect(delivered).toEqual(['p80', 'p60', 'p30']);
  });

  it('dropBelow drops queued injections under a priority and reports them', async () => {
    const { session } = setup({ mode: 'passive' });
    session.start();
    const low = session.inject(packet('low', 20), { at: 'immediate' });
    void session.inject(packet('high', 70), { at: 'immediate' });
    await settle();
    expect(session.dropBelow(50).map((injection) => injection.packet.metadata.priority)).toEqual([20]);
    expect(await low).toMatchObject({ outcome: 'dropped', reason: 'below_priority' });
    expect(session.queueDepth).toBe(1);
  });

  it('respects canInject: holds pushes until the client acknowledges', async () => {
    const { session, delivered } = setup({ maxUnconfirmed: 1 });
    session.start();
    void session.inject(packet('one'), { at: 'immediate' });
    void session.inject(packet('two'), { at: 'immediate' });
    await settle();
    expect(delivered).toEqual(['one']);
    expect(session.queueDepth).toBe(1);
    await session.input({ type: 'ack', id: 'i1' });
    await settle();
    expect(delivered).toEqual(['one', 'two']);
  });

  it('time-sensitive calls with a fake clock: within, before, after and cancelPending', async () => {
    const { session, scheduler, delivered } = setup({ mode: 'passive' });
    session.start();
    const within = session.injectWithin(100, packet('within'));
    const before = session.injectBefore('turn-end', packet('before'));
    const after = session.injectAfter('checkout', packet('after'));
    const cancelled = session.injectAfter('never', packet('cancelled'));
    await settle();
    scheduler.advance(100);
    expect(await within).toMatchObject({ outcome: 'failed', reason: 'deadline_exceeded' });
    await session.input({ type: 'turn-end' });
    expect(await before).toMatchObject({ outcome: 'failed', reason: 'marker_passed' });
    expect(session.queueDepth).toBe(0);
    await session.input({ type: 'event', name: 'checkout' });
    expect(session.pull().map((injection) => injection.packet.information?.name)).toEqual(['after']);
    expect((await after).outcome).toBe('delivered');
    expect(session.cancelPending().map((result) => result.injection.packet.information?.name)).toEqual(['cancelled']);
    expect((await cancelled).outcome).toBe('cancelled');
    expect(delivered).toEqual([]);
    expect(session.summary).toMatchObject({ prepared: 4, delivered: 1, failed: 3 });
  });

  it('ending the stream fails what is pending with stream_ended', async () => {
    const { session } = setup();
    session.start();
    const waiting = session.inject(packet('waiting'));
    await settle();
    session.end();
    expect(await waiting).toMatchObject({ outcome: 'cancelled', reason: 'stream_ended' });
  });

  it('reports a failed delivery as injection.failed', async () => {
    const { session, events } = setup({ failDelivery: true });
    session.start();
    expect(await session.inject(packet('x'), { at: 'immediate' })).toMatchObject({
      outcome: 'failed',
      reason: 'delivery_failed',
    });
    expect(events.at(-1)).toMatchObject({ type: 'injection.failed', reason: 'delivery_failed' });
  });

  it('hooks: beforeInput vetoes or rewrites input, beforeInjection vetoes an injection, after hooks see results', async () => {
    const { session, hooks, events, delivered } = setup();
    const afterInjection: string[] = [];
    const order: string[] = [];
    hooks.on('beforeInput', (input) =>
      input.type === 'message' && input.content === 'secret' ? { veto: true, reason: 'filtered' } : undefined,
    );
    hooks.on('beforeInput', (input) =>
      input.type === 'message' ? { value: { ...input, content: input.content.trim() } } : undefined,
    );
    hooks.on('duringInput', () => {
      order.push('during');
    });
    hooks.on('afterInput', () => {
      order.push('after');
    });
    hooks.on('beforeInjection', (injection) =>
      injection.packet.metadata.criticality === 'optional' ? { veto: true, reason: 'no optional now' } : undefined,
    );
    hooks.on('afterInjection', (result) => {
      afterInjection.push(result.outcome);
    });
    session.start();
    expect(await session.input({ type: 'message', role: 'user', content: 'secret' })).toEqual({
      accepted: false,
      reason: 'filtered',
    });
    expect(await session.input({ type: 'message', role: 'user', content: '  hello  ' })).toEqual({ accepted: true });
    expect(order).toEqual(['during', 'after']);
    const data = events.filter((event) => event.type === 'data');
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ input: { content: 'hello' } });
    expect(await session.inject(packet('skip', 50, 'optional'), { at: 'immediate' })).toMatchObject({
      outcome: 'skipped',
      reason: 'vetoed',
    });
    expect(await session.inject(packet('go'), { at: 'immediate' })).toMatchObject({ outcome: 'delivered' });
    await settle();
    expect(delivered).toEqual(['go']);
    expect(afterInjection).toEqual(['delivered']);
  });

  it('processes inputs in order even when a hook is slow', async () => {
    const { session, hooks, scheduler, events } = setup();
    hooks.on('beforeInput', (input) =>
      input.type === 'turn-start'
        ? new Promise<undefined>((resolve) => scheduler.setTimer(() => resolve(undefined), 10))
        : undefined,
    );
    session.start();
    const first = session.input({ type: 'turn-start' });
    const second = session.input({ type: 'turn-end' });
    await settle();
    scheduler.advance(10);
    await Promise.all([first, second]);
    expect(events.filter((event) => event.type === 'data').map((event) => event.type === 'data' && event.input.type)).toEqual([
      'turn-start',
      'turn-end',
    ]);
  });
});
