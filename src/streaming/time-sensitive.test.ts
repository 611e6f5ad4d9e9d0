import { describe, expect, it } from 'vitest';
import type { Injection } from '../core/injection.js';
import type { InjectionResult } from './injection-interface.js';
import { ManualScheduler } from './manual-scheduler.js';
import { TimeSensitiveInjections } from './time-sensitive.js';

function injection(id: string, extra: Partial<Injection> = {}): Injection {
  return {
    id,
    tenantId: 't1',
    sessionId: 's1',
    packet: { information: { id }, metadata: { priority: 50, criticality: 'important', source: 'test' } },
    at: 'immediate',
    preparedAt: 0,
    contentHash: id,
    tokens: 1,
    ...extra,
  };
}

function setup() {
  const scheduler = new ManualScheduler();
  const released: string[] = [];
  const withdrawn: string[] = [];
  const unsettled: InjectionResult[] = [];
  const pending = new TimeSensitiveInjections({
    scheduler,
    release: (item) => released.push(item.id),
    withdraw: (item) => withdrawn.push(item.id),
    onUnsettled: (result) => unsettled.push(result),
  });
  return { scheduler, released, withdrawn, unsettled, pending };
}

describe('TimeSensitiveInjections', () => {
  it('injectWithin: delivered in time resolves delivered; otherwise fails with deadline_exceeded and is withdrawn', async () => {
    const { scheduler, pending, released, withdrawn, unsettled } = setup();
    const inTime = pending.injectWithin(100, injection('fast'));
    const tooLate = pending.injectWithin(100, injection('slow'));
    expect(released).toEqual(['fast', 'slow']);
    expect(scheduler.pendingTimers).toBe(1);
    scheduler.advance(60);
    expect(pending.settle({ injection: injection('fast'), outcome: 'delivered' })).toBe(true);
    expect((await inTime).outcome).toBe('delivered');
    scheduler.advance(40);
    const result = await tooLate;
    expect([result.outcome, result.reason, result.injection.deadlineAt]).toEqual(['failed', 'deadline_exceeded', 100]);
    expect(withdrawn).toEqual(['slow']);
    expect(unsettled.map((entry) => entry.injection.id)).toEqual(['slow']);
    expect(pending.size).toBe(0);
    expect(scheduler.pendingTimers).toBe(0);
    expect(pending.settle({ injection: injection('slow'), outcome: 'delivered' })).toBe(false);
  });

  it('injectWithin keeps an earlier deadline the injection already had', async () => {
    const { scheduler, pending } = setup();
    const result = pending.injectWithin(1_000, injection('own', { deadlineAt: 20 }));
    scheduler.advance(20);
    expect((await result).reason).toBe('deadline_exceeded');
  });

  it('injectAfter holds the injection until its marker, ignoring other markers', async () => {
    const { pending, released } = setup();
    const result = pending.injectAfter('turn-end', injection('held'));
    pending.markerReached('sentence-end');
    expect(released).toEqual([]);
    pending.markerReached('turn-end');
    expect(released).toEqual(['held']);
    pending.markerReached('turn-end');
    expect(released).toEqual(['held']);
    pending.settle({ injection: injection('held'), outcome: 'delivered' });
    expect((await result).outcome).toBe('delivered');
  });

  it('injectBefore releases at once and fails with marker_passed if the marker comes first', async () => {
    const { pending, released, withdrawn } = setup();
    const missed = pending.injectBefore('turn-end', injection('missed'));
    const made = pending.injectBefore('turn-end', injection('made'));
    expect(released).toEqual(['missed', 'made']);
    pending.settle({ injection: injection('made'), outcome: 'delivered' });
    pending.markerReached('turn-end');
    expect(await missed).toMatchObject({ outcome: 'failed', reason: 'marker_passed' });
    expect((await made).outcome).toBe('delivered');
    expect(withdrawn).toEqual(['missed']);
  });

  it('expires an injection at its TTL while it waits for a marker', async () => {
    const { scheduler, pending, withdrawn } = setup();
    const result = pending.injectAfter('silence', injection('stale', { expiresAt: 500 }));
    scheduler.advance(500);
    expect(await result).toMatchObject({ outcome: 'expired', reason: 'ttl' });
    expect(withdrawn).toEqual([]);
  });

  it('cancelPending cancels all, or only what the filter selects', async () => {
    const { scheduler, pending } = setup();
    const a = pending.injectAfter('turn-end', injection('a', { deadlineAt: 100 }));
    const b = pending.injectWithin(100, injection('b'));
    const c = pending.injectBefore('x', injection('c'));
    const cancelled = pending.cancelPending((entry) => entry.condition.kind !== 'within');
    expect(cancelled.map((result) => result.injection.id)).toEqual(['a', 'c']);
    expect(await a).toMatchObject({ outcome: 'cancelled', reason: 'cancelled' });
    expect((await c).outcome).toBe('cancelled');
    expect(pending.cancelPending(undefined, 'shutdown').map((result) => result.reason)).toEqual(['shutdown']);
    expect((await b).reason).toBe('shutdown');
    expect(scheduler.pendingTimers).toBe(0);
  });
});
