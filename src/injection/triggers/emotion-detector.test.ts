import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmotionDetector } from './emotion-detector.js';
import { scoreSentiment } from './sentiment.js';
import { tokenize } from './tokenize.js';

const score = (text: string) => scoreSentiment(tokenize(text), (text.match(/!/g) ?? []).length);

describe('EmotionDetector', () => {
  it("reads the seed's message as stress and negative", () => {
    const reading = new EmotionDetector().observe("I'm feeling really stressed about my startup");
    expect(reading.emotions).toContain('stress');
    expect(reading.dominant).toBe('stress');
    expect(reading.score).toBeLessThan(-0.25);
    expect(reading.band).toBe('negative');
  });

  it('scores positive, neutral and negative messages, with negation, intensifiers and exclamation', () => {
    expect(score('This is great, thanks')).toBeGreaterThan(0.5);
    expect(score('The meeting is on Tuesday at noon')).toBe(0);
    expect(score('this is terrible')).toBeLessThan(-0.5);
    expect(score('I am not happy')).toBeLessThan(0);
    expect(score('not bad at all')).toBeGreaterThan(0);
    expect(score('very good')).toBeGreaterThan(score('good'));
    expect(score('good!!')).toBeGreaterThan(score('good'));
    expect(score('I’m not happy')).toBe(score("I'm not happy"));
  });

  it('labels anger, sadness, confusion and joy', () => {
    const detector = new EmotionDetector();
    expect(detector.observe('This is ridiculous, I am furious').emotions).toEqual(['anger']);
    expect(detector.observe('I feel so sad and lonely').emotions).toEqual(['sadness']);
    expect(detector.observe("Sorry, I don't understand what you mean").emotions).toEqual(['confusion']);
    expect(detector.observe('Yay, I am so happy!').emotions).toEqual(['joy']);
    expect(detector.observe('The invoice is attached').emotions).toEqual([]);
  });

  it('smooths the running sentiment and reports band and emotion shifts', () => {
    const detector = new EmotionDetector({ smoothing: 0.5 });
    expect(detector.observe('This is great, I love it').shift).toBeUndefined();
    const negative = detector.observe('Now everything is awful and I hate it, terrible disaster');
    expect(negative.smoothed).toBeGreaterThan(negative.score);
    expect(negative.shift).toEqual({ kind: 'sentiment', from: 'positive', to: expect.any(String) });
    const neutral = new EmotionDetector();
    neutral.observe('I am worried about the deadline');
    expect(neutral.observe('I am so worried and stressed').shift).toBeUndefined();
    expect(neutral.observe('I feel furious').shift).toEqual({ kind: 'emotion', from: 'stress', to: 'anger' });
  });

  it('keeps every score and the running sentiment in [-1, 1] for arbitrary text', () => {
    const detector = new EmotionDetector();
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.array(fc.constantFrom('very', 'not', 'awful', 'great', '!', 'so', 'hate'), { maxLength: 40 }),
        (noise, words) => {
          const reading = detector.observe(`${noise} ${words.join(' ')}`);
          return reading.score >= -1 && reading.score <= 1 && reading.smoothed >= -1 && reading.smoothed <= 1;
        },
      ),
    );
  });
});
