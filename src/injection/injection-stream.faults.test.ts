import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine.js';
import type { InjectionMessage } from './injection-message.js';
import type { InjectionStream } from './injection-stream.js';
import {
  deadTransport,
  flakyTransport,
  hangingTransport,
  openInjectionEngine,
  outcomesOf,
  packet,
  reasonsOf,
  recordingTransport,
  sleep,
  TENANT,
} from './injection-stream.test-support.js';

/**
 * End to end through `createEngine` → `engine.injection`: real streams, real rules, real (short) timers,
 * consumers that fail. Nothing here measures time; the tests assert outcomes and counts.
 */

/** How a critical injection may end when it was not delivered: a reason the deliverer or the stream reports. */
const FAILURE_REASON = /^(deadline_exceeded|breaker_open|timeout|sink_error:.+)$/;

const ALERT_RULE = {
  id: 'alert',
  when: { type: 'event', name: 'alert' },
  at: 'immediate',
  priority: 90,
  inject: { packet: { attention: { alert: 'the user asked for a human' } }, criticality: 'critical', deadlineMs: 1_500 },
};

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** Each injection's fate as the stream reports it (delivered, failed, dropped), by id. */
function watchFates(stream: InjectionStream): Map<string, string> {
  const fates = new Map<string, string>();
  stream.session.observe({
    onEvent(event) {
      if (event.type === 'injection.delivered') fates.set(event.injection.id, 'delivered');
      else if (event.type === 'injection.failed') fates.set(event.injection.id, `failed:${event.reason}`);
      else if (event.type === 'injection.dropped') fates.set(event.injection.id, `dropped:${event.reason}`);
    },
  });
  return fates;
}

/** Waits until every critical injection prepared so far has a counted ending. */
async function settledCritical(open: Engine) {
  await expect
    .poll(
      async () => {
        const counts = outcomesOf(await open.injection.stats(TENANT), 'critical');
        return counts.settled === counts.prepared;
      },
      { timeout: 5_000, interval: 20 },
    )
    .toBe(true);
  return open.injection.stats(TENANT);
}

/**
 * Checks the accounting of critical injections once settled: every counted delivery is in the consumer's
 * hands or in the mailbox (each id once), every failure has a known reason, nothing else is missing.
 */
function expectEveryCriticalAccountedFor(
  stats: Awaited<ReturnType<Engine['injection']['stats']>>,
  received: InjectionMessage[],
  escalated: InjectionMessage[],
) {
  const counts = outcomesOf(stats, 'critical');
  expect(counts.settled).toBe(counts.prepared);
  const ids = [...received, ...escalated].filter((message) => message.criticality === 'critical').map((message) => message.id);
  expect(new Set(ids).size, 'no critical packet reached the consumer twice').toBe(ids.length);
  expect(ids.length, 'every counted delivery is in the consumer’s or the mailbox’s hands').toBe(counts.delivered);
  const failed = reasonsOf(stats, 'failed');
  for (const reason of Object.keys(failed)) expect(reason).toMatch(FAILURE_REASON);
  expect(Object.values(failed).reduce((sum, count) => sum + count, 0)).toBe(counts.failed);
  expect(counts.skipped + counts.cancelled + counts.expired).toBe(0);
}

describe('injection streams under delivery faults', () => {
  it('with a consumer failing 30% of sends, every critical packet is delivered, escalated or reported failed', async () => {
    engine = await openInjectionEngine({ injection: { outboundLimit: 256, dedupWindowMs: 0 } });
    await engine.injection.putRules(TENANT, { rules: [ALERT_RULE] });
    const stream = await engine.injection.stream(TENANT, 's-flaky');
    const fates = watchFates(stream);
    const consumer = flakyTransport({ failureRate: 0.3, seed: 2026 });
    stream.attach(consumer);

    const onDemand: string[] = [];
    for (let n = 0; n < 100; n++) {
      onDemand.push(
        await engine.injection.inject(TENANT, 's-flaky', packet(n, { criticality: 'critical', deadlineMs: 1_500 }), 'immediate'),
      );
      if (n % 5 === 0) await stream.input({ type: 'event', name: 'alert' });
    }

    const stats = await settledCritical(engine);
    const escalated = await engine.injection.handle(TENANT, 's-flaky', []);
    expect(outcomesOf(stats, 'critical').prepared).toBe(120);
    expectEveryCriticalAccountedFor(stats, consumer.messages, escalated);
    expect(consumer.failures, 'the seeded faults happened').toBeGreaterThan(10);
    // 1.5 s is ample for retries against a consumer that takes 70% of sends: none may miss its deadline.
    expect(outcomesOf(stats, 'critical')).toMatchObject({ delivered: 120, failed: 0 });
    expect(consumer.messages.filter((message) => message.ruleId === 'alert')).not.toHaveLength(0);
    // Each on-demand packet has one reported fate, and a delivered one is in somebody's hands.
    const inHands = new Set([...consumer.messages, ...escalated].map((message) => message.id));
    for (const id of onDemand) {
      const fate = fates.get(id);
      expect(fate, id).toMatch(/^(delivered|failed:.+)$/);
      if (fate === 'delivered') expect(inHands.has(id), id).toBe(true);
    }
    expect(stream.queueDepth).toBe(0);
  });

  it('with a consumer that hangs, critical packets time out, escalate to the mailbox or fail with the reason', async () => {
    engine = await openInjectionEngine({ injection: { outboundLimit: 256, dedupWindowMs: 0 } });
    await engine.injection.putRules(TENANT, { rules: [ALERT_RULE] });
    const stream = await engine.injection.stream(TENANT, 's-hang');
    const consumer = hangingTransport();
    stream.attach(consumer);

    for (let n = 0; n < 100; n++) {
      await engine.injection.inject(TENANT, 's-hang', packet(n, { criticality: 'critical', deadlineMs: 400 + (n % 10) * 50 }));
      if (n % 10 === 0) await stream.input({ type: 'event', name: 'alert' });
    }

    const stats = await settledCritical(engine);
    const escalated = await engine.injection.handle(TENANT, 's-hang', []);
    expect(outcomesOf(stats, 'critical').prepared).toBe(110);
    expectEveryCriticalAccountedFor(stats, [], escalated);
    expect(escalated.length, 'the escalation path took some').toBeGreaterThan(0);
    expect(consumer.calls).toBeGreaterThan(0);
    // The hanging consumer was told to stop every send it was given (the attempt's signal aborted).
    await expect.poll(() => consumer.waiting).toBe(0);
    expect(consumer.aborted).toBe(consumer.calls);
  });

  it('with a dead consumer, the mailbox keeps every escalated packet it counts delivered, or the packet is reported failed', async () => {
    // A small outbound limit also bounds the mailbox: more packets escalate than it can hold before the next pull.
    engine = await openInjectionEngine({ injection: { outboundLimit: 16, dedupWindowMs: 0 } });
    const stream = await engine.injection.stream(TENANT, 's-dead');
    const consumer = deadTransport();
    stream.attach(consumer);

    for (let batch = 0; batch < 5; batch++) {
      for (let n = 0; n < 10; n++) {
        await engine.injection.inject(TENANT, 's-dead', packet(batch * 10 + n, { criticality: 'critical', deadlineMs: 300 }));
      }
      await settledCritical(engine);
    }

    const stats = await engine.injection.stats(TENANT);
    const escalated = await engine.injection.handle(TENANT, 's-dead', []);
    expect(outcomesOf(stats, 'critical').prepared).toBe(50);
    expectEveryCriticalAccountedFor(stats, [], escalated);
    expect(escalated).toHaveLength(16);
    expect(outcomesOf(stats, 'critical').failed).toBe(34);
    expect(stats.breakers).toMatchObject({ 's-dead': 'open' });
    expect(consumer.calls, 'the open breaker spared the dead consumer').toBeLessThan(20);
  });

  it('optional injections never delay a turn: with a hanging consumer the inputs resolve and they end skipped', async () => {
    engine = await openInjectionEngine({ injection: { dedupWindowMs: 0 } });
    await engine.injection.putRules(TENANT, {
      rules: [
        {
          id: 'tip',
          when: { type: 'keyword', keywords: ['pricing'] },
          inject: { packet: { information: { tip: 'annual plans are cheaper' } }, criticality: 'optional' },
        },
      ],
    });
    const stream = await engine.injection.stream(TENANT, 's-optional');
    const consumer = hangingTransport();
    stream.attach(consumer);
    for (let n = 0; n < 10; n++)
      await engine.injection.inject(TENANT, 's-optional', packet(n, { criticality: 'optional' }), 'turn-end');

    const turn = async () => {
      await stream.input({ type: 'turn-start', role: 'user' });
      await stream.input({ type: 'message', role: 'user', content: 'a question about pricing' });
      await stream.input({ type: 'turn-end', role: 'user' });
      return 'settled' as const;
    };
    // A generous bound that must not win: the turn resolves without waiting on any delivery.
    let timer: NodeJS.Timeout | undefined;
    const tooLate = new Promise<'timer'>((resolve) => {
      timer = setTimeout(() => resolve('timer'), 2_000);
    });
    expect(await Promise.race([turn(), tooLate])).toBe('settled');
    expect(await Promise.race([turn(), tooLate])).toBe('settled');
    clearTimeout(timer);

    await expect
      .poll(
        async () => {
          const counts = outcomesOf(await engine!.injection.stats(TENANT), 'optional');
          return counts.prepared > 0 && counts.settled === counts.prepared;
        },
        { timeout: 5_000, interval: 20 },
      )
      .toBe(true);
    const stats = await engine.injection.stats(TENANT);
    const counts = outcomesOf(stats, 'optional');
    expect(counts.prepared).toBe(12);
    expect(counts.delivered).toBe(0);
    expect(counts.skipped + counts.failed).toBe(12);
    expect(reasonsOf(stats, 'skipped')).toMatchObject({ timeout: expect.any(Number) });
    expect(consumer.calls).toBeGreaterThan(0);
    expect(consumer.calls).toBeLessThanOrEqual(12);
    // Optional ones never escalate: nothing waits in the mailbox.
    expect(await engine.injection.handle(TENANT, 's-optional', [])).toEqual([]);
  });

  it('the breaker opens after the configured consecutive failures and half-opens after halfOpenAfterMs', async () => {
    engine = await openInjectionEngine({
      delivery: {
        // Open long enough that the steps below run inside the window on a loaded machine (100 ms was not, in CI).
        breaker: { kind: 'consecutive', failures: 3, halfOpenAfterMs: 1_000 },
        // Long enough that the half-open test call, hanging, can be seen in flight.
        attemptTimeoutMs: { critical: 300 },
      },
      injection: { dedupWindowMs: 0 },
    });
    const sinkId = `${TENANT}/s-breaker`;
    const { deliverer } = engine.injection;
    const stream = await engine.injection.stream(TENANT, 's-breaker');
    const dead = deadTransport();
    const detachDead = stream.attach(dead);
    expect(deliverer.breakerState(sinkId)).toBe('closed');

    await engine.injection.inject(TENANT, 's-breaker', packet(1, { criticality: 'critical', deadlineMs: 2_000 }));
    await expect.poll(() => deliverer.breakerState(sinkId)).toBe('open');
    expect(dead.calls).toBe(3);
    expect((await engine.injection.stats(TENANT)).breakers).toEqual({ 's-breaker': 'open' });
    // While open the critical packet escalated at once; the next one skips the dead consumer entirely.
    await settledCritical(engine);
    await engine.injection.inject(TENANT, 's-breaker', packet(2, { criticality: 'critical', deadlineMs: 2_000 }));
    await settledCritical(engine);
    expect(dead.calls).toBe(3);
    expect((await engine.injection.handle(TENANT, 's-breaker', [])).map((message) => message.packet.information)).toEqual([
      { n: 1 },
      { n: 2 },
    ]);

    // After halfOpenAfterMs one call is let through as a test: it hangs, so the breaker stays half-open meanwhile…
    await sleep(1_100);
    detachDead();
    const hanging = hangingTransport();
    const detachHanging = stream.attach(hanging);
    await engine.injection.inject(TENANT, 's-breaker', packet(3, { criticality: 'critical', deadlineMs: 2_000 }));
    await expect.poll(() => deliverer.breakerState(sinkId), { interval: 5 }).toBe('half-open');
    expect(hanging.calls).toBe(1);
    // …and its timeout reopens it.
    await expect.poll(() => deliverer.breakerState(sinkId)).toBe('open');
    await settledCritical(engine);

    // A healthy consumer after the next half-open delay: the test call succeeds and closes the breaker.
    await sleep(1_100);
    detachHanging();
    const healthy = recordingTransport();
    stream.attach(healthy);
    await engine.injection.inject(TENANT, 's-breaker', packet(4, { criticality: 'critical', deadlineMs: 2_000 }));
    await expect.poll(() => healthy.messages.length).toBe(1);
    await expect.poll(() => deliverer.breakerState(sinkId)).toBe('closed');
    expect((await engine.injection.stats(TENANT)).breakers).toEqual({});
    const transitions = deliverer.counters
      .snapshot()
      .breakerTransitions.filter((transition) => transition.sinkId === sinkId)
      .map(({ state, count }) => [state, count]);
    expect(Object.fromEntries(transitions)).toEqual({ open: 2, 'half-open': 2, closed: 1 });
    const stats = await settledCritical(engine);
    expect(outcomesOf(stats, 'critical')).toMatchObject({ prepared: 4, delivered: 4 });
  });
});
