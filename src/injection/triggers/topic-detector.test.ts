import { describe, expect, it } from 'vitest';
import { NamedTopicDetector } from './named-topics.js';
import { TopicDetector } from './topic-detector.js';

const PRICING = [
  'What pricing tiers do you offer for the subscription?',
  'Is there a discount on the annual subscription pricing?',
  'How does the pricing compare with the monthly subscription?',
  'Can the subscription pricing include a discount for teams?',
];
const HIRING = [
  'We need to hire two engineers for the backend team',
  'How long does hiring engineers usually take?',
  'Should engineers interview with the founders before hiring?',
  'What salary should we offer senior engineers we hire?',
];

describe('TopicDetector (lexical)', () => {
  it('reports one shift when the conversation moves to another topic, and none while it stays', () => {
    const detector = new TopicDetector({ windowSize: 2, threshold: 0.2 });
    const readings = [...PRICING, ...HIRING].map((message) => detector.observe(message));
    expect(readings.slice(0, 3).every((reading) => reading.similarity === undefined)).toBe(true);
    expect(readings[3]?.similarity).toBeGreaterThan(0.2);
    expect(readings.filter((reading) => reading.shift)).toHaveLength(1);
    const shiftAt = readings.findIndex((reading) => reading.shift);
    expect(shiftAt).toBeGreaterThanOrEqual(4);
  });

  it('does not shift on a conversation that stays on one topic', () => {
    const detector = new TopicDetector({ windowSize: 2 });
    const readings = [...PRICING, ...PRICING].map((message) => detector.observe(message));
    expect(readings.some((reading) => reading.shift)).toBe(false);
  });

  it('skips messages without content words', () => {
    const detector = new TopicDetector({ windowSize: 1 });
    detector.observe(PRICING[0] as string);
    expect(detector.observe('ok, yes').measured).toBe(false);
    expect(detector.observe(PRICING[1] as string).measured).toBe(true);
  });
});

describe('TopicDetector (embedding)', () => {
  it('compares window embeddings from a synchronous embed function', () => {
    const embed = (text: string) => Float32Array.from(text.includes('price') ? [1, 0] : [0, 1]);
    const detector = new TopicDetector({ windowSize: 1, threshold: 0.5, embed });
    expect(detector.observe('price one').shift).toBe(false);
    expect(detector.observe('price two').similarity).toBeCloseTo(1);
    const shifted = detector.observe('hiring now');
    expect(shifted).toEqual({ similarity: 0, shift: true, measured: true });
  });
});

describe('NamedTopicDetector', () => {
  it('finds named topics by their keywords', () => {
    const detector = new NamedTopicDetector([
      { name: 'startup', keywords: ['startup', 'founder*', 'seed round'] },
      { name: 'health', keywords: ['sleep', 'doctor'] },
    ]);
    expect(detector.detect("I'm feeling really stressed about my startup")).toEqual([{ name: 'startup', keyword: 'startup' }]);
    expect(detector.detect('We closed our seed round; the founders slept little')).toEqual([
      { name: 'startup', keyword: 'seed round' },
    ]);
    expect(detector.detect('Nothing to see here')).toEqual([]);
  });
});
