import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BackpressureQueue, type DropReason } from './backpressure-queue.js';

interface Item {
  name: string;
  priority: number;
}

function queueOf(limit: number, order: 'arrival' | 'priority' = 'arrival') {
  const drops: Array<{ name: string; reason: DropReason }> = [];
  const marks: string[] = [];
  const queue = new BackpressureQueue<Item>({
    limit,
    order,
    onDrop: (item, reason) => drops.push({ name: item.name, reason }),
    onWatermark: (level, depth) => marks.push(`${level}@${depth}`),
  });
  const push = (name: string, priority: number) => queue.push({ name, priority }, priority);
  return { queue, drops, marks, push };
}

const names = (items: Item[]) => items.map((item) => item.name);

describe('BackpressureQueue', () => {
  it('caps its depth for a consumer that never reads, dropping the lowest priority first and counting it', () => {
    const { queue, drops, push } = queueOf(3);
    push('a', 50);
    push('b', 10);
    push('c', 90);
    expect(push('d', 70)).toBe(true);
    expect(push('e', 5)).toBe(false);
    expect(queue.queueDepth).toBe(3);
    expect(queue.dropped).toBe(2);
    expect(drops).toEqual([
      { name: 'b', reason: 'overflow' },
      { name: 'e', reason: 'overflow' },
    ]);
    expect(names(queue.snapshot())).toEqual(['a', 'c', 'd']);
  });

  it('drops the newest among equal lowest priorities (what was accepted stays accepted)', () => {
    const { queue, push } = queueOf(2);
    push('first', 10);
    push('second', 10);
    expect(push('third', 10)).toBe(false);
    expect(push('higher', 20)).toBe(true);
    expect(names(queue.snapshot())).toEqual(['first', 'higher']);
  });

  it('takes in arrival order, or by priority (FIFO among equals) in priority order', () => {
    const arrival = queueOf(10);
    const priority = queueOf(10, 'priority');
    for (const [name, value] of [
      ['a', 1],
      ['b', 3],
      ['c', 2],
      ['d', 3],
    ] as const) {
      arrival.push(name, value);
      priority.push(name, value);
    }
    expect(names(arrival.queue.drain())).toEqual(['a', 'b', 'c', 'd']);
    expect(names(priority.queue.drain(3))).toEqual(['b', 'd', 'c']);
    expect(priority.queue.queueDepth).toBe(1);
  });

  it('pause only marks the consumer as not reading; items still queue up to the limit', () => {
    const { queue, push } = queueOf(2);
    queue.pause();
    expect(queue.paused).toBe(true);
    push('a', 1);
    push('b', 2);
    push('c', 3);
    expect(queue.queueDepth).toBe(2);
    queue.resume();
    expect(queue.paused).toBe(false);
    expect(queue.shift()?.name).toBe('b');
  });

  it('dropBelow removes and counts every item under the threshold', () => {
    const { queue, drops, push } = queueOf(10);
    push('low', 10);
    push('mid', 50);
    push('low2', 49);
    push('high', 90);
    expect(names(queue.dropBelow(50))).toEqual(['low', 'low2']);
    expect(drops.map((drop) => drop.reason)).toEqual(['below_priority', 'below_priority']);
    expect(queue.dropped).toBe(2);
    expect(names(queue.snapshot())).toEqual(['mid', 'high']);
  });

  it('remove takes items out without counting them as drops', () => {
    const { queue, push } = queueOf(10);
    push('a', 1);
    push('b', 2);
    expect(names(queue.remove((item) => item.name === 'a'))).toEqual(['a']);
    expect(queue.dropped).toBe(0);
    expect(queue.queueDepth).toBe(1);
  });

  it('canAcceptMore turns false at the high watermark and true again at the low one', () => {
    const marks: string[] = [];
    const queue = new BackpressureQueue<number>({
      limit: 10,
      highWatermark: 4,
      lowWatermark: 1,
      onWatermark: (level, depth) => marks.push(`${level}@${depth}`),
    });
    for (let index = 0; index < 3; index++) queue.push(index, 0);
    expect(queue.canAcceptMore()).toBe(true);
    queue.push(3, 0);
    expect(queue.canAcceptMore()).toBe(false);
    queue.shift();
    queue.shift();
    expect(queue.canAcceptMore()).toBe(false);
    queue.shift();
    expect(queue.canAcceptMore()).toBe(true);
    expect(marks).toEqual(['high@4', 'low@1']);
  });

  it('defaults the watermarks from the limit and rejects a bad limit', () => {
    const queue = new BackpressureQueue<number>({ limit: 100 });
    expect([queue.highWatermark, queue.lowWatermark]).toEqual([80, 25]);
    expect(() => new BackpressureQueue<number>({ limit: 0 })).toThrow(/positive integer/);
  });

  it('property: the depth never exceeds the limit and every pushed item is queued, taken or dropped', () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), priority: fc.integer({ min: 0, max: 100 }) }),
      fc.record({ kind: fc.constant('shift' as const) }),
      fc.record({ kind: fc.constant('dropBelow' as const), priority: fc.integer({ min: 0, max: 100 }) }),
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom('arrival', 'priority'),
        fc.array(operation, { maxLength: 200 }),
        (limit, order, operations) => {
          const queue = new BackpressureQueue<number>({ limit, order: order as 'arrival' | 'priority' });
          let pushed = 0;
          let taken = 0;
          for (const operation of operations) {
            if (operation.kind === 'push') {
              queue.push(pushed++, operation.priority);
            } else if (operation.kind === 'shift') {
              if (queue.shift() !== undefined) taken++;
            } else queue.dropBelow(operation.priority);
            expect(queue.queueDepth).toBeLessThanOrEqual(limit);
          }
          expect(queue.queueDepth + taken + queue.dropped).toBe(pushed);
        },
      ),
    );
  });

  it('property: without reads, the kept set is the highest priorities (earliest first among equals)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 15 }),
        fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 100 }),
        (limit, priorities) => {
          const queue = new BackpressureQueue<number>({ limit, order: 'priority' });
          priorities.forEach((priority, index) => {
            queue.push(index, priority);
          });
          const expected = priorities
            .map((priority, index) => ({ priority, index }))
            .sort((left, right) => right.priority - left.priority || left.index - right.index)
            .slice(0, limit)
            .map((entry) => entry.index);
          expect(queue.snapshot()).toEqual(expected);
          expect(queue.dropped).toBe(Math.max(0, priorities.length - limit));
        },
      ),
    );
  });
});
