import { describe, expect, it } from 'vitest';
import { compileRules } from './compile-rules.js';
import { replayConversation, type ScriptStep } from './replay-conversation.js';

const inject = { assemble: {}, criticality: 'helpful' } as const;
let clock = 0;
const next = () => {
  clock += 1_000;
  return clock;
};
const user = (content: string): ScriptStep => ({ at: next(), input: { type: 'message', role: 'user', content } });
const assistant = (content: string): ScriptStep => ({
  at: next(),
  input: { type: 'message', role: 'assistant', content },
});

function reasons(when: unknown, script: ScriptStep[]): (string | undefined)[] {
  const rules = compileRules([{ id: 'r', when, inject }]);
  return replayConversation(rules, script, { startedAt: 0 }).steps.map((step) => step.fired[0]?.reason);
}
const firedAt = (fired: (string | undefined)[]) => fired.flatMap((reason, index) => (reason === undefined ? [] : [index]));

const SEED = "I'm feeling really stressed about my startup";
const PRICING = [
  'What pricing tiers do you offer for the subscription?',
  'Is there a discount on the annual subscription pricing?',
  'How does the pricing compare with the monthly subscription?',
];
const HIRING = [
  'We need to hire two engineers for the backend team',
  'How long does hiring engineers usually take?',
  'Should engineers interview with the founders before hiring?',
  'What salary should we offer senior engineers we hire?',
];

describe('semantic rules', () => {
  it('keyword fires on a user message with the word, not on assistant messages, not on other word forms', () => {
    const fired = reasons({ type: 'keyword', keywords: ['stressed', 'deadline'] }, [
      user(SEED),
      assistant('Are you stressed?'),
      user('I feel stress'),
      user('fine'),
    ]);
    expect(fired).toEqual(['keyword "stressed" in user message', undefined, undefined, undefined]);
    const both = reasons({ type: 'keyword', keywords: ['stressed'], roles: ['user', 'assistant'] }, [
      assistant('Are you stressed?'),
    ]);
    expect(both).toEqual(['keyword "stressed" in assistant message']);
  });

  it('pattern fires when a regex matches a user message, case-insensitively', () => {
    const fired = reasons({ type: 'pattern', patterns: ['invoice\\s+#?\\d{4,}'] }, [
      user('Where is INVOICE #20931?'),
      user('the invoice is late'),
    ]);
    expect(fired).toEqual(['pattern /invoice\\s+#?\\d{4,}/i in user message', undefined]);
  });

  it('topic fires when a named topic is mentioned', () => {
    const when = {
      type: 'topic',
      topics: [
        { name: 'fundraising', keywords: ['investor*', 'seed round'] },
        { name: 'startup', keywords: ['startup'] },
      ],
    };
    expect(reasons(when, [user(SEED), user('Our investors want a seed round'), user('lunch?')])).toEqual([
      'topic "startup" (keyword "startup") in user message',
      'topic "fundraising" (keyword "investor*") in user message',
      undefined,
    ]);
  });

  it('topic shift fires once when the conversation moves on, never while it stays', () => {
    const shifting = [...PRICING, ...PRICING.map((text) => `${text} please`), ...HIRING].map((text) => user(text));
    const fired = reasons({ type: 'topic-shift' }, shifting);
    expect(firedAt(fired)).toHaveLength(1);
    expect(firedAt(fired)[0]).toBeGreaterThanOrEqual(6);
    expect(fired.find(Boolean)).toMatch(/^topic shift \(window similarity [\d.]+ < 0\.2\)$/);
    const staying = [...PRICING, ...PRICING, ...PRICING].map((text) => user(text));
    expect(firedAt(reasons({ type: 'topic-shift' }, staying))).toEqual([]);
    expect(firedAt(reasons({ type: 'topic-shift', threshold: 0.05 }, staying))).toEqual([]);
    expect(firedAt(reasons({ type: 'topic-shift', threshold: 0.99 }, shifting)).length).toBeGreaterThanOrEqual(1);
  });

  it('sentiment below and above fire on matching user messages only', () => {
    const script = [
      user('This is terrible, an awful disaster'),
      user('The file is attached'),
      user('This is great, thanks a lot!'),
      assistant('terrible'),
    ];
    expect(firedAt(reasons({ type: 'sentiment', below: -0.5 }, script))).toEqual([0]);
    expect(firedAt(reasons({ type: 'sentiment', above: 0.5 }, script))).toEqual([2]);
    expect(firedAt(reasons({ type: 'sentiment', above: -0.2, below: 0.2 }, script))).toEqual([1]);
    expect(reasons({ type: 'sentiment', below: -0.5 }, script)[0]).toMatch(/^sentiment -0\.\d+ below -0\.5 \(user message\)$/);
  });

  it('running sentiment smooths over messages', () => {
    const script = [user('great, I love it'), user('awful'), user('terrible, I hate this')];
    expect(firedAt(reasons({ type: 'sentiment', below: -0.3, of: 'smoothed' }, script))).toEqual([2]);
  });

  it("emotion fires on the seed's stressed message and not on neutral ones", () => {
    const fired = reasons({ type: 'emotion', emotions: ['stress', 'sadness'] }, [
      user(SEED),
      user('Let us look at the numbers'),
      user('I am so sad'),
    ]);
    expect(fired).toEqual(['emotion stress in user message', undefined, 'emotion sadness in user message']);
  });

  it('emotion shift fires when the running sentiment changes band, not while it stays', () => {
    const script = [
      user('This is great, I love it'),
      user('Thanks, wonderful'),
      user('Now it is awful, terrible, I hate it'),
      user('Still awful'),
    ];
    const fired = reasons({ type: 'emotion-shift' }, script);
    expect(fired).toEqual([undefined, undefined, 'sentiment shift positive → neutral', 'sentiment shift neutral → negative']);
    expect(firedAt(reasons({ type: 'emotion-shift' }, [user('great'), user('wonderful'), user('lovely, thanks')]))).toEqual([]);
    const emotions = [user('I am worried about the deadline'), user('I am furious about it')];
    expect(reasons({ type: 'emotion-shift', kinds: ['emotion'] }, emotions)).toEqual([undefined, 'emotion shift stress → anger']);
  });

  it('context shift fires on a topic shift or a state change, never on the first step', () => {
    const script = [...PRICING, ...PRICING, ...HIRING].map((text) => user(text));
    const fired = reasons({ type: 'context-shift', aspects: ['topic'] }, script);
    expect(firedAt(fired)).toHaveLength(1);
    expect(fired.find(Boolean)).toBe('context shift: topic');
    const state = reasons({ type: 'context-shift' }, [
      user('hello'),
      { at: next(), input: { type: 'state', system: 'error' } },
      user('hi'),
    ]);
    expect(state).toEqual([undefined, 'context shift: system normal → error', undefined]);
  });
});
