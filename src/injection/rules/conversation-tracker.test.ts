import { describe, expect, it } from 'vitest';
import { ConversationTracker } from './conversation-tracker.js';
import { createTrackerConfig } from './tracker-config.js';

describe('ConversationTracker', () => {
  it('counts messages per role and tokenizes each message once for the rules', () => {
    const tracker = new ConversationTracker({ startedAt: 0 });
    const step = tracker.observe({ type: 'message', role: 'user', content: 'Hello THERE, friend' }, 1);
    tracker.observe({ type: 'message', role: 'assistant', content: 'hi' }, 2);
    tracker.observe({ type: 'message', role: 'system', content: 'note' }, 3);
    expect(step.tokens).toEqual(['hello', 'there', 'friend']);
    expect([
      tracker.messageCount(),
      tracker.messageCount('user'),
      tracker.messageCount('assistant'),
      tracker.messageCount('system'),
    ]).toEqual([3, 1, 1, 1]);
  });

  it('tracks sentiment of user messages only, and the latest event', () => {
    const tracker = new ConversationTracker({ startedAt: 0 });
    tracker.observe({ type: 'message', role: 'assistant', content: 'This is awful and terrible' }, 1);
    expect(tracker.emotion.score).toBe(0);
    tracker.observe({ type: 'message', role: 'user', content: "I'm feeling really stressed about my startup" }, 2);
    expect(tracker.emotion.score).toBeLessThan(-0.25);
    tracker.observe({ type: 'event', name: 'order.paid' }, 3);
    expect(tracker.lastEvent).toBe('order.paid');
    expect(tracker.snapshot()).toMatchObject({
      messages: 2,
      userMessages: 1,
      elapsedMs: 3,
      silenceMs: 1,
      phase: 'start',
      user: 'active',
      system: 'normal',
      relationship: 'new',
      emotions: ['stress'],
      lastEvent: 'order.paid',
    });
  });

  it('uses its configuration: start length, idle time, familiar threshold, closing phrases', () => {
    const config = createTrackerConfig({ startMessages: 1, idleMs: 1_000, familiarAfter: 2, closingPhrases: ['over and out'] });
    const tracker = new ConversationTracker({ startedAt: 0, priorSessions: 2, config });
    expect(tracker.relationship).toBe('familiar');
    tracker.observe({ type: 'message', role: 'user', content: 'one' }, 1);
    expect(tracker.phase).toBe('start');
    tracker.observe({ type: 'message', role: 'user', content: 'bye' }, 2);
    expect(tracker.phase).toBe('middle');
    tracker.observe({ type: 'message', role: 'user', content: 'over and out' }, 3);
    expect(tracker.phase).toBe('end');
    tracker.advance(1_003);
    expect(tracker.user).toBe('idle');
    expect(tracker.previous.user).toBe('active');
  });

  it('cuts long messages to maxInputChars', () => {
    const tracker = new ConversationTracker({ startedAt: 0, config: createTrackerConfig({ maxInputChars: 10 }) });
    const step = tracker.observe({ type: 'message', role: 'user', content: 'abcdefghij klmnop' }, 1);
    expect(step.text).toBe('abcdefghij');
    expect(step.tokens).toEqual(['abcdefghij']);
  });
});
