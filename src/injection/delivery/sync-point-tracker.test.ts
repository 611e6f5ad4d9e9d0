import { describe, expect, it } from 'vitest';
import type { StreamInput } from '../../core/injection.js';
import { SyncPointTracker } from './sync-point-tracker.js';

describe('SyncPointTracker', () => {
  it('reports turn ends, long silences between turns and sentence ends; nothing inside a turn but sentence ends', () => {
    const tracker = new SyncPointTracker({ minSilenceMs: 300 });
    const script: Array<[StreamInput, string | undefined]> = [
      [{ type: 'state', user: 'active' }, 'idle'],
      [{ type: 'turn-start', role: 'user' }, undefined],
      [{ type: 'message', role: 'user', content: 'partial transcript' }, undefined],
      [{ type: 'silence', ms: 100 }, undefined],
      [{ type: 'silence', ms: 500 }, 'sentence-end'],
      [{ type: 'sentence-end' }, 'sentence-end'],
      [{ type: 'event', name: 'tick' }, undefined],
      [{ type: 'turn-end', role: 'user' }, 'turn-end'],
      [{ type: 'silence', ms: 200 }, undefined],
      [{ type: 'silence', ms: 800 }, 'silence'],
      [{ type: 'message', role: 'user', content: 'a whole chat message' }, 'turn-end'],
    ];
    const seen = script.map(([input]) => tracker.feed(input));
    expect(seen).toEqual(script.map(([, expected]) => expected));
  });

  it('knows whether a turn is in progress', () => {
    const tracker = new SyncPointTracker();
    expect(tracker.current()).toBe('idle');
    tracker.feed({ type: 'turn-start' });
    expect(tracker.inTurn).toBe(true);
    expect(tracker.current()).toBeUndefined();
    tracker.feed({ type: 'turn-end' });
    expect(tracker.inTurn).toBe(false);
  });
});
