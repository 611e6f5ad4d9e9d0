import { describe, expect, it } from 'vitest';
import type { ContextPacket, Injection } from '../core/injection.js';
import { canonicalJson, sha256Hex } from '../updates/content-hash.js';
import { BaseStreamInjector, type BaseStreamInjectorOptions } from './base-injector.js';
import { ManualScheduler } from './manual-scheduler.js';

const packet: ContextPacket = {
  information: { customer: 'Ada', plan: 'pro' },
  attention: { focus: 'billing' },
  metadata: { priority: 70, criticality: 'important', source: 'api', ttlMs: 1_000, deadlineMs: 200 },
};

const countWords = (text: string) => text.split(/\W+/).filter(Boolean).length;

function setup(overrides: Partial<BaseStreamInjectorOptions> = {}) {
  const scheduler = new ManualScheduler(10_000);
  const delivered: Injection[] = [];
  let next = 0;
  const injector = new BaseStreamInjector({
    tenantId: 't1',
    sessionId: 's1',
    scheduler,
    deliver: (injection) => {
      delivered.push(injection);
    },
    countTokens: countWords,
    newId: () => `inj-${++next}`,
    ...overrides,
  });
  return { scheduler, delivered, injector };
}

describe('BaseStreamInjector', () => {
  it('prepares an injection: id, times from ttl and deadline, content hash without metadata, token count', () => {
    const { injector } = setup();
    const injection = injector.prepare(packet, { at: 'silence', ruleId: 'r1' });
    const content = { information: packet.information!, attention: packet.attention! };
    expect(injection).toEqual({
      id: 'inj-1',
      tenantId: 't1',
      sessionId: 's1',
      ruleId: 'r1',
      packet,
      at: 'silence',
      preparedAt: 10_000,
      expiresAt: 11_000,
      deadlineAt: 10_200,
      contentHash: sha256Hex(canonicalJson(content)),
      tokens: countWords(canonicalJson(content)),
    });
    const other = injector.prepare({ ...packet, metadata: { priority: 1, criticality: 'optional', source: 'rule:x' } });
    expect(other.contentHash).toBe(injection.contentHash);
    expect(other.at).toBe('turn-end');
    expect(other.expiresAt).toBeUndefined();
    expect(injector.prepare({ ...packet, attention: { focus: 'refunds' } }).contentHash).not.toBe(injection.contentHash);
  });

  it('counts tokens on the rendered text when a renderer is given', () => {
    const { injector } = setup({ render: () => 'one two three' });
    expect(injector.prepare(packet).tokens).toBe(3);
  });

  it('executes through the delivery function and tracks the acknowledgement', async () => {
    const { injector, delivered } = setup();
    const injection = injector.prepare(packet);
    expect(await injector.execute(injection)).toEqual({ injection, outcome: 'delivered' });
    expect(delivered).toEqual([injection]);
    expect(injector.unconfirmed).toBe(1);
    expect(injector.confirm(injection.id)).toBe(true);
    expect(injector.confirm(injection.id)).toBe(false);
    expect(injector.unconfirmed).toBe(0);
  });

  it('reports a failed delivery, an expired and a late injection as outcomes, never throwing', async () => {
    const failure = new Error('socket closed');
    const { injector, scheduler } = setup({
      deliver: () => Promise.reject(failure),
    });
    const injection = injector.prepare(packet);
    expect(await injector.execute(injection)).toEqual({
      injection,
      outcome: 'failed',
      reason: 'delivery_failed',
      error: failure,
    });
    scheduler.advance(201);
    expect(await injector.execute(injection)).toMatchObject({ outcome: 'failed', reason: 'deadline_exceeded' });
    scheduler.advance(1_000);
    expect(await injector.execute(injection)).toMatchObject({ outcome: 'expired' });
  });

  it('canInject says no while too many deliveries await their ack, or when the extra condition says no', async () => {
    let open = true;
    const { injector, scheduler } = setup({ maxUnconfirmed: 2, canInject: () => open });
    const now = scheduler.now();
    const first = injector.prepare(packet);
    await injector.execute(first);
    expect(injector.canInject(now)).toBe(true);
    await injector.execute(injector.prepare(packet));
    expect(injector.canInject(now)).toBe(false);
    injector.confirm(first.id);
    expect(injector.canInject(now)).toBe(true);
    open = false;
    expect(injector.canInject(now)).toBe(false);
  });

  it('counts a delivery still in flight against maxUnconfirmed', async () => {
    let finish: () => void = () => undefined;
    const { injector, scheduler } = setup({
      maxUnconfirmed: 1,
      deliver: () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    });
    const running = injector.execute(injector.prepare(packet));
    expect(injector.canInject(scheduler.now())).toBe(false);
    finish();
    expect((await running).outcome).toBe('delivered');
    expect(injector.unconfirmed).toBe(1);
  });
});
