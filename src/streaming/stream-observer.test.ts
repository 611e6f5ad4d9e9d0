import { describe, expect, it } from 'vitest';
import type { StreamEvent } from './stream-event.js';
import { ObserverSubject, type StreamObserver } from './stream-observer.js';

const start: StreamEvent = { type: 'stream.start', streamId: 's1', at: 1 };
const data: StreamEvent = { type: 'data', streamId: 's1', at: 2, input: { type: 'turn-end' } };
const pause: StreamEvent = { type: 'pause', streamId: 's1', at: 3, reason: 'slow' };

describe('ObserverSubject', () => {
  it('notifies observers in the order they were added, specific callback before onEvent', () => {
    const calls: string[] = [];
    const subject = new ObserverSubject();
    subject.add({ onStreamStart: () => calls.push('first.start'), onEvent: (event) => calls.push(`first.any:${event.type}`) });
    subject.add({ onStreamStart: () => calls.push('second.start'), onStreamData: () => calls.push('second.data') });
    subject.notify(start);
    subject.notify(data);
    subject.notify(pause);
    expect(calls).toEqual([
      'first.start',
      'first.any:stream.start',
      'second.start',
      'first.any:data',
      'second.data',
      'first.any:pause',
    ]);
  });

  it('isolates an observer that throws or rejects: the error is reported and the others still run', async () => {
    const reported: Array<{ message: string; type: string }> = [];
    const subject = new ObserverSubject((error, event) => reported.push({ message: (error as Error).message, type: event.type }));
    const calls: string[] = [];
    subject.add({
      onStreamData: () => {
        throw new Error('boom');
      },
    });
    subject.add({ onStreamData: () => Promise.reject(new Error('late boom')) });
    subject.add({ onStreamData: () => calls.push('third') });
    subject.notify(data);
    await Promise.resolve();
    expect(calls).toEqual(['third']);
    expect(reported).toEqual([
      { message: 'boom', type: 'data' },
      { message: 'late boom', type: 'data' },
    ]);
  });

  it('survives an error listener that throws', () => {
    const subject = new ObserverSubject(() => {
      throw new Error('listener broken');
    });
    const calls: string[] = [];
    subject.add({
      onStreamPause: () => {
        throw new Error('boom');
      },
    });
    subject.add({ onStreamPause: (event) => calls.push(event.reason) });
    expect(() => subject.notify(pause)).not.toThrow();
    expect(calls).toEqual(['slow']);
  });

  it('removes observers, including one removed while being notified', () => {
    const calls: string[] = [];
    const subject = new ObserverSubject();
    const observer: StreamObserver = { onEvent: () => calls.push('one') };
    const removeOne = subject.add(observer);
    const removeTwo = subject.add({
      onEvent: () => {
        calls.push('two');
        removeOne();
      },
    });
    subject.add({ onEvent: () => calls.push('three') });
    subject.notify(start);
    expect(calls).toEqual(['one', 'two', 'three']);
    expect(subject.size).toBe(2);
    removeTwo();
    subject.notify(start);
    expect(calls.slice(3)).toEqual(['three']);
    expect(subject.size).toBe(1);
  });
});
