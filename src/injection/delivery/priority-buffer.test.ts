import { describe, expect, it } from 'vitest';
import { PriorityBuffer } from './priority-buffer.js';
import { testInjection } from './test-injection.test-support.js';

const ids = (buffer: PriorityBuffer) => buffer.peek().map((injection) => injection.id);

describe('PriorityBuffer', () => {
  it('orders by priority, then criticality, then deadline, then arrival', () => {
    const buffer = new PriorityBuffer();
    buffer.push(testInjection({ id: 'low', priority: 10 }), 0);
    buffer.push(testInjection({ id: 'helpful-late', priority: 50, deadlineAt: 900 }), 0);
    buffer.push(testInjection({ id: 'helpful-early', priority: 50, deadlineAt: 100 }), 0);
    buffer.push(testInjection({ id: 'critical', priority: 50, criticality: 'critical' }), 0);
    buffer.push(testInjection({ id: 'helpful-none-1', priority: 50 }), 0);
    buffer.push(testInjection({ id: 'helpful-none-2', priority: 50 }), 0);
    buffer.push(testInjection({ id: 'high', priority: 90, criticality: 'optional' }), 0);
    expect(ids(buffer)).toEqual(['high', 'critical', 'helpful-early', 'helpful-late', 'helpful-none-1', 'helpful-none-2', 'low']);
  });

  it('on overflow drops the lowest priority first and counts it', () => {
    const dropped: string[] = [];
    const buffer = new PriorityBuffer({
      maxItems: 3,
      onRemoved: (injection, reason) => dropped.push(`${injection.id}:${reason}`),
    });
    buffer.push(testInjection({ id: 'p30', priority: 30 }), 0);
    buffer.push(testInjection({ id: 'p10', priority: 10 }), 0);
    buffer.push(testInjection({ id: 'p20', priority: 20 }), 0);
    const result = buffer.push(testInjection({ id: 'p40', priority: 40 }), 0);
    expect(result.accepted).toBe(true);
    expect(result.removed.map((removal) => removal.injection.id)).toEqual(['p10']);
    expect(ids(buffer)).toEqual(['p40', 'p30', 'p20']);
    expect(dropped).toEqual(['p10:overflow']);
    expect(buffer.removedCounts.overflow).toBe(1);
  });

  it('drops a new injection ranked below everything in a full buffer instead of a better one', () => {
    const buffer = new PriorityBuffer({ maxItems: 2 });
    buffer.push(testInjection({ id: 'a', priority: 50 }), 0);
    buffer.push(testInjection({ id: 'b', priority: 50 }), 0);
    const lower = buffer.push(testInjection({ id: 'c', priority: 5 }), 0);
    const equalButLater = buffer.push(testInjection({ id: 'd', priority: 50 }), 0);
    expect(lower.accepted).toBe(false);
    expect(equalButLater.accepted).toBe(false);
    expect(ids(buffer)).toEqual(['a', 'b']);
    expect(buffer.removedCounts.overflow).toBe(2);
  });

  it('keeps the token total under maxTokens by dropping the lowest, and refuses one that can never fit', () => {
    const buffer = new PriorityBuffer({ maxItems: 10, maxTokens: 100 });
    buffer.push(testInjection({ id: 'low', priority: 10, tokens: 40 }), 0);
    buffer.push(testInjection({ id: 'mid', priority: 50, tokens: 40 }), 0);
    buffer.push(testInjection({ id: 'high', priority: 90, tokens: 40 }), 0);
    expect(ids(buffer)).toEqual(['high', 'mid']);
    expect(buffer.tokens).toBe(80);
    const huge = buffer.push(testInjection({ id: 'huge', priority: 99, tokens: 101 }), 0);
    expect(huge.accepted).toBe(false);
    expect(ids(buffer)).toEqual(['high', 'mid']);
    expect(buffer.removedCounts.overflow).toBe(2);
  });

  it('removes expired injections (counted) and refuses one already expired', () => {
    const buffer = new PriorityBuffer();
    buffer.push(testInjection({ id: 'short', expiresAt: 100 }), 0);
    buffer.push(testInjection({ id: 'long', expiresAt: 1_000 }), 0);
    expect(buffer.push(testInjection({ id: 'stale', expiresAt: 50 }), 60).accepted).toBe(false);
    expect(buffer.take('turn-end', 100).map((injection) => injection.id)).toEqual(['long']);
    expect(buffer.removedCounts.ttl).toBe(2);
    expect(buffer.size).toBe(0);
  });

  it('take releases by sync point: immediate always, turn-end at turn ends and silences, silence only at silences', () => {
    const fill = () => {
      const buffer = new PriorityBuffer();
      for (const at of ['immediate', 'turn-end', 'silence'] as const) buffer.push(testInjection({ id: at, at }), 0);
      return buffer;
    };
    const released = (point: Parameters<PriorityBuffer['take']>[0]) =>
      fill()
        .take(point, 0)
        .map((injection) => injection.id)
        .sort();
    expect(released('idle')).toEqual(['immediate']);
    expect(released('sentence-end')).toEqual(['immediate']);
    expect(released('turn-end')).toEqual(['immediate', 'turn-end']);
    expect(released('silence')).toEqual(['immediate', 'silence', 'turn-end']);
  });

  it('dropBelow, cancel and cancelPending remove and count, and keep size and tokens right', () => {
    const buffer = new PriorityBuffer();
    for (const priority of [10, 20, 30, 40, 50])
      buffer.push(testInjection({ id: `p${priority}`, priority, tokens: priority }), 0);
    expect(buffer.dropBelow(30).map((injection) => injection.id)).toEqual(['p20', 'p10']);
    expect(buffer.cancel('p40')).toBe(true);
    expect(buffer.cancel('p40')).toBe(false);
    expect(buffer.tokens).toBe(80);
    expect(buffer.cancelPending((injection) => injection.packet.metadata.priority > 40)).toBe(1);
    expect(ids(buffer)).toEqual(['p30']);
    expect(buffer.removedCounts).toEqual({ overflow: 0, ttl: 0, backpressure: 2, cancelled: 2 });
  });

  it('replaces an injection pushed again with the same id (a requeue)', () => {
    const buffer = new PriorityBuffer();
    const injection = testInjection({ id: 'same' });
    buffer.push(injection, 0);
    buffer.push(injection, 1);
    expect(buffer.size).toBe(1);
    expect(buffer.tokens).toBe(injection.tokens);
  });

  it('backpressure: 100,000 pushes into a buffer of 64 stay within 64 and every drop is counted', () => {
    let random = 7;
    const next = () => {
      random = (random * 1_103_515_245 + 12_345) % 2 ** 31;
      return random / 2 ** 31;
    };
    const buffer = new PriorityBuffer({ maxItems: 64 });
    let refused = 0;
    let removed = 0;
    let maxSize = 0;
    for (let index = 0; index < 100_000; index++) {
      const result = buffer.push(testInjection({ id: `i${index}`, priority: Math.floor(next() * 101) }), index);
      if (!result.accepted) refused++;
      removed += result.removed.length;
      maxSize = Math.max(maxSize, buffer.size);
    }
    expect(maxSize).toBeLessThanOrEqual(64);
    expect(buffer.size).toBe(64);
    expect(buffer.removedCounts.overflow).toBe(100_000 - 64);
    expect(removed).toBe(100_000 - 64);
    expect(refused).toBeGreaterThan(0);
    const lowestKept = Math.min(...buffer.peek().map((injection) => injection.packet.metadata.priority));
    expect(lowestKept).toBeGreaterThanOrEqual(99);
  });
});
