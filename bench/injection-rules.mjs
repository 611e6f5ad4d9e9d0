// Injection rule benchmarks (issue 6): rule evaluation per stream event with 50 mixed rules (keywords, patterns,
// every, decay, sentiment, emotion, topic-shift, state, silence, event, combinators) over a realistic stream of
// messages, turns, silences and events — median and p99 µs per event; and the conversation tracker's memory per
// stream (heap over 10,000 trackers bound to the same 50 rules). Re-executes itself with --expose-gc.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConversationTracker, compileRules, evaluate, tick } from '../dist/injection/rules/index.js';
import { report } from './stats.mjs';

if (typeof global.gc !== 'function') {
  execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], { stdio: 'inherit' });
  process.exit(0);
}

const inject = { packet: { strategy: { tone: 'supportive' } }, criticality: 'helpful' };
const WORDS = ['pricing', 'invoice', 'shipping', 'refund', 'hiring', 'deadline', 'launch', 'supplier', 'margin', 'budget'];
function rules() {
  const list = [];
  const add = (when, extra = {}) => list.push({ id: `r${list.length}`, when, inject, ...extra });
  for (let i = 0; i < 12; i++)
    add(
      {
        type: 'keyword',
        keywords: [WORDS[i % 10], `${WORDS[(i + 3) % 10]} plan`, `word${i}`, `${WORDS[(i + 5) % 10].slice(0, 4)}*`],
      },
      { cooldownMs: 30_000 },
    );
  for (let i = 0; i < 6; i++) add({ type: 'pattern', patterns: [`order\\s*#?\\d{${4 + i},}`, `^(why|how) .*${WORDS[i]}`] });
  for (let i = 0; i < 5; i++) add({ type: 'every', messages: 5 + i * 3 });
  add({ type: 'every', ms: 60_000 });
  add({ type: 'decay', firstAfter: 3, factor: 2, max: 5 });
  add({ type: 'decay', firstAfter: 5, factor: 1.5 });
  for (const below of [-0.3, -0.5, -0.7]) add({ type: 'sentiment', below }, { cooldownMs: 60_000 });
  add({ type: 'sentiment', above: 0.6 });
  add({ type: 'emotion', emotions: ['stress', 'anger'] });
  add({ type: 'emotion', emotions: ['confusion'] });
  add({ type: 'emotion-shift' });
  add({ type: 'topic-shift' });
  add({ type: 'topic-shift', threshold: 0.1 });
  add({
    type: 'topic',
    topics: [
      { name: 'money', keywords: ['price', 'pricing', 'cost*'] },
      { name: 'people', keywords: ['hire', 'hiring'] },
    ],
  });
  add({ type: 'context-shift' });
  for (const conversation of ['start', 'middle', 'end']) add({ type: 'state', conversation });
  for (const user of ['idle', 'confused']) add({ type: 'state', user });
  add({ type: 'state', system: 'error' });
  add({ type: 'state', relationship: 'returning' });
  add({ type: 'silence', ms: 5_000 });
  add({ type: 'silence', ms: 15_000 });
  add({ type: 'event', name: 'help.requested', mode: 'on-demand' });
  add({ type: 'event', name: 'order.*' });
  add({ type: 'event', name: 'wrap-up', mode: 'predictive', afterMs: 1_800_000, leadMs: 120_000 });
  add({ type: 'event', name: 'error', mode: 'corrective' });
  add({
    type: 'all',
    of: [
      { type: 'keyword', keywords: ['refund'] },
      { type: 'sentiment', below: -0.2 },
    ],
  });
  add({
    type: 'any',
    of: [
      { type: 'keyword', keywords: ['cancel'] },
      { type: 'pattern', patterns: ['unsubscribe'] },
    ],
  });
  add({ type: 'not', of: { type: 'state', relationship: 'new', mode: 'while' } }, { cooldownMs: 120_000 });
  return list.slice(0, 50);
}

const MESSAGES = [
  "I'm feeling really stressed about my startup and the launch deadline",
  'Can you help me compare the pricing of the two supplier offers?',
  'Sure — the first offer has a lower margin but faster shipping.',
  'Why is order #123456 still not shipped? This is really frustrating!',
  'I understand. Let me check the shipping status and the invoice for you.',
  "Thanks, that's great. What about the budget plan for hiring next quarter?",
  'Hiring two engineers fits the budget if the launch stays on schedule.',
  "I don't understand what you mean by the margin plan",
  'The margin plan sets the minimum price we accept per box.',
  'ok, sounds good, thanks a lot',
];
let seed = 11;
function random() {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
}
function streamEvents(count) {
  const events = [];
  let now = 1_700_000_000_000;
  for (let i = 0; i < count; i++) {
    now += 200 + Math.floor(random() * 4_000);
    const roll = random();
    if (roll < 0.7)
      events.push({
        now,
        input: { type: 'message', role: i % 2 ? 'assistant' : 'user', content: MESSAGES[Math.floor(random() * MESSAGES.length)] },
      });
    else if (roll < 0.8) events.push({ now, input: { type: i % 2 ? 'turn-start' : 'turn-end', role: 'user' } });
    else if (roll < 0.87) events.push({ now, input: { type: 'silence', ms: Math.floor(random() * 20_000) } });
    else if (roll < 0.92)
      events.push({ now, input: { type: 'event', name: ['order.paid', 'help.requested', 'error', 'page.view'][i % 4] } });
    else events.push({ now, tick: true });
  }
  return events;
}

const compiled = compileRules(rules());
const events = streamEvents(2_000);
const durations = [];
for (let round = 0; round < 12; round++) {
  const tracker = new ConversationTracker({ startedAt: events[0].now - 1_000, priorSessions: round % 3 });
  for (const event of events) {
    const started = process.hrtime.bigint();
    if (event.tick) tick(compiled, tracker, event.now);
    else evaluate(compiled, tracker, event.input, event.now);
    const elapsed = Number(process.hrtime.bigint() - started) / 1_000;
    if (round >= 2) durations.push(elapsed);
  }
}
durations.sort((a, b) => a - b);
const at = (quantile) => durations[Math.min(durations.length - 1, Math.floor(quantile * durations.length))];
report(`rule evaluation per stream event, ${compiled.rules.length} rules (median)`, `${at(0.5).toFixed(2)} µs`, 'target ≤ 20 µs');
report(`rule evaluation per stream event, ${compiled.rules.length} rules (p99)`, `${at(0.99).toFixed(2)} µs`);

const STREAMS = 10_000;
// Typed arrays keep their bytes outside the JS heap: count heapUsed and arrayBuffers together.
const used = () => {
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.arrayBuffers;
};
global.gc();
const before = used();
const trackers = [];
for (let i = 0; i < STREAMS; i++) {
  const tracker = new ConversationTracker({ startedAt: 0, priorSessions: i % 4 });
  for (let m = 0; m < 12; m++)
    evaluate(
      compiled,
      tracker,
      { type: 'message', role: m % 2 ? 'assistant' : 'user', content: MESSAGES[(i + m) % MESSAGES.length] },
      m * 1_000,
    );
  trackers.push(tracker);
}
global.gc();
const perStream = (used() - before) / STREAMS;
report(
  'conversation tracker memory per stream (50 rules, 12 messages)',
  `${(perStream / 1024).toFixed(2)} KB`,
  `${((perStream * STREAMS) / 1048576).toFixed(1)} MB for ${STREAMS.toLocaleString('en-US')} streams`,
);
if (trackers.length !== STREAMS) throw new Error('unreachable');
