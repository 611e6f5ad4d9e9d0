// Injection engine benchmarks (issue 6): 10,000 concurrent stream sessions in one process on `memory:` — memory
// (heap + external over the baseline, and RSS) and inputs per second end to end (rule evaluation, buffering, delivery
// to an attached in-process consumer) — and sync point → delivered injection over a real WebSocket on loopback,
// p50/p99, on one connection and on 50. Re-executes itself with --expose-gc.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../dist/index.js';
import { formatRate, median, report } from './stats.mjs';

if (typeof global.gc !== 'function') {
  execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], { stdio: 'inherit' });
  process.exit(0);
}

const STREAMS = Number(process.env.CTX_BENCH_INJECTION_STREAMS ?? 10_000);
const RUN_MS = Number(process.env.CTX_BENCH_INJECTION_RUN_MS ?? 3_000);
/** Streams given an input together (the others wait for the next batch). */
const BATCH = 500;
const LATENCY_ITERATIONS = 2_000;
const TURN_TIMEOUT_MS = 1_000;
const TENANT = 'bench';
const MB = 1024 * 1024;

const packet = (focus, tone = 'supportive') => ({ strategy: { tone }, attention: { focus } });
/** About twenty rules a support tenant would put: every kind of condition, every criticality, every sync point. */
const RULES = [
  { id: 'stress', when: { type: 'keyword', keywords: ['stressed', 'overwhelmed', 'deadline'] }, cooldownMs: 60_000 },
  { id: 'pricing', when: { type: 'keyword', keywords: ['pric*', 'invoice', 'budget plan'] }, criticality: 'helpful' },
  { id: 'cancel', when: { type: 'keyword', keywords: ['cancel', 'refund'] }, criticality: 'critical', at: 'immediate' },
  { id: 'order-number', when: { type: 'pattern', patterns: ['order\\s*#?\\d{5,}'] }, criticality: 'important' },
  { id: 'summary-5', when: { type: 'every', messages: 5 }, criticality: 'optional' },
  { id: 'summary-12', when: { type: 'every', messages: 12 }, criticality: 'helpful' },
  { id: 'checkin-minute', when: { type: 'every', ms: 60_000 }, criticality: 'optional' },
  { id: 'decay', when: { type: 'decay', firstAfter: 3, factor: 2, max: 4 }, criticality: 'helpful' },
  { id: 'negative', when: { type: 'sentiment', below: -0.4 }, criticality: 'important', cooldownMs: 30_000 },
  { id: 'upset', when: { type: 'emotion', emotions: ['stress', 'anger'] }, criticality: 'important' },
  { id: 'confused', when: { type: 'emotion', emotions: ['confusion'] }, at: 'silence' },
  { id: 'topic-shift', when: { type: 'topic-shift' }, criticality: 'helpful' },
  {
    id: 'money-topic',
    when: {
      type: 'topic',
      topics: [
        { name: 'money', keywords: ['price', 'cost*', 'margin'] },
        { name: 'people', keywords: ['hire', 'hiring'] },
      ],
    },
    criticality: 'optional',
  },
  { id: 'opening', when: { type: 'state', conversation: 'start' }, criticality: 'important' },
  { id: 'returning', when: { type: 'state', relationship: 'returning' }, criticality: 'helpful' },
  { id: 'user-confused', when: { type: 'state', user: 'confused' }, at: 'silence' },
  { id: 'long-pause', when: { type: 'silence', ms: 5_000 }, at: 'silence', criticality: 'helpful' },
  { id: 'order-event', when: { type: 'event', name: 'order.*' }, criticality: 'important' },
  { id: 'help', when: { type: 'event', name: 'help.requested', mode: 'on-demand' }, criticality: 'critical', at: 'immediate' },
  {
    id: 'refund-angry',
    when: {
      type: 'all',
      of: [
        { type: 'keyword', keywords: ['refund'] },
        { type: 'sentiment', below: -0.2 },
      ],
    },
    criticality: 'critical',
  },
].map(({ id, when, criticality = 'important', at = 'turn-end', cooldownMs }) => ({
  id,
  when,
  at,
  ...(cooldownMs === undefined ? {} : { cooldownMs }),
  inject: { packet: packet(`rule ${id}`), criticality, ttlMs: 60_000 },
}));

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
  'I want to cancel and get a refund, this is terrible',
];
/** The scripted conversation each stream goes through: turns of text, silences, the odd application event. */
function scriptedInput(step, stream) {
  const content = MESSAGES[(step + stream) % MESSAGES.length];
  switch (step % 9) {
    case 0:
      return { type: 'turn-start', role: 'user' };
    case 1:
      return { type: 'message', role: 'user', content };
    case 2:
      return { type: 'turn-end', role: 'user' };
    case 3:
      return { type: 'turn-start', role: 'assistant' };
    case 4:
      return { type: 'message', role: 'assistant', content };
    case 5:
      return { type: 'turn-end', role: 'assistant' };
    case 6:
      return { type: 'silence', ms: (step + stream) % 3 === 0 ? 6_000 : 800 };
    case 7:
      return { type: 'message', role: 'user', content };
    default:
      return (step + stream) % 4 === 0 ? { type: 'event', name: 'order.paid' } : { type: 'silence', ms: 400 };
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
/** heapUsed + external (`arrayBuffers` is part of `external`, so it is not added again). */
function memory() {
  const usage = process.memoryUsage();
  return { heap: usage.heapUsed + usage.external, rss: usage.rss };
}

async function streamSessions() {
  const engine = await createEngine({
    databaseUrl: 'memory:',
    server: { logLevel: 'silent' },
    // The throughput run saturates the event loop on purpose; with the default load thresholds the engine would
    // (correctly) degrade to `skip` and stop delivering all but critical injections. Load-based degradation is off
    // here so every input goes the whole way to the consumer; failure-ratio degradation keeps its defaults.
    injection: {
      delivery: {
        degradation: {
          essential: { failureRatio: 0.1, load: 2 },
          'critical-only': { failureRatio: 0.3, load: 2 },
          skip: { failureRatio: 0.6, load: 2 },
        },
      },
    },
  });
  await engine.tenants.create({ id: TENANT });
  await engine.injection.putRules(TENANT, { rules: RULES });
  let delivered = 0;
  // The consumer of every stream: an in-process transport that takes each injection at once.
  const transport = {
    kind: 'websocket',
    send: async () => {
      delivered += 1;
    },
  };

  global.gc();
  global.gc();
  const before = memory();
  const streams = [];
  for (let index = 0; index < STREAMS; index++) {
    const stream = await engine.injection.stream(TENANT, `s${index}`, { priorSessions: index % 3 });
    stream.attach(transport);
    streams.push(stream);
  }
  // A few inputs each, so trackers, buffers, dedup windows and breakers are populated.
  let step = 0;
  for (; step < 7; step++) await Promise.all(streams.map((stream, index) => stream.input(scriptedInput(step, index))));
  for (let round = 0; round < 10; round++) await settle();
  global.gc();
  global.gc();
  const after = memory();
  const heap = after.heap - before.heap;
  report(
    `memory of ${STREAMS.toLocaleString('en-US')} live streams (heap + external)`,
    `${(heap / MB).toFixed(1)} MB`,
    `${(heap / STREAMS / 1024).toFixed(1)} KB/stream, target ≤ 300 MB`,
  );
  report(`  RSS delta for ${STREAMS.toLocaleString('en-US')} streams`, `${((after.rss - before.rss) / MB).toFixed(1)} MB`);

  const rates = [];
  const deliveries = [];
  // Run 0 warms up (JIT, the heap growing to its working size, the first turn ends releasing what the feed queued);
  // it is shown but not counted.
  for (let run = 0; run < 4; run++) {
    const deliveredBefore = delivered;
    let inputs = 0;
    const started = performance.now();
    while (performance.now() - started < RUN_MS) {
      // Round-robin, BATCH streams at a time: inputs arrive spread out, not as 10,000 simultaneous turn ends.
      for (let first = 0; first < streams.length; first += BATCH) {
        const batch = streams.slice(first, first + BATCH);
        await Promise.all(batch.map((stream, offset) => stream.input(scriptedInput(step, first + offset))));
        await settle();
        inputs += batch.length;
        if (performance.now() - started >= RUN_MS) break;
      }
      step += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    rates.push(inputs / seconds);
    deliveries.push((delivered - deliveredBefore) / seconds);
  }
  const [warmUp] = rates.splice(0, 1);
  deliveries.splice(0, 1);
  const stats = await engine.injection.stats(TENANT);
  report(
    `stream inputs processed end to end, ${STREAMS.toLocaleString('en-US')} streams (median)`,
    formatRate(median(rates)),
    `${RULES.length} rules; runs ${rates.map((rate) => Math.round(rate).toLocaleString('en-US')).join(', ')} (warm-up ${Math.round(warmUp).toLocaleString('en-US')})`,
  );
  report('  injections delivered to the consumers meanwhile (median)', formatRate(median(deliveries)));
  const outcomes = Object.entries(stats.byReason)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([key, count]) => `${key} ${count.toLocaleString('en-US')}`)
    .join(', ');
  process.stdout.write(`  outcomes over the whole run: ${outcomes}\n`);
  report(
    '  rule decision per input (p50 / p99 of the last 1,000)',
    `${stats.decisionLatencyUs.p50} µs`,
    `p99 ${stats.decisionLatencyUs.p99} µs`,
  );
  await engine.close();
}

// `ws` is the WebSocket implementation @fastify/websocket runs on; a real client over a real socket.
const WebSocket = createRequire(import.meta.url)('ws');

async function startServer(mode) {
  const child = spawn(process.execPath, ['bench/injection-server.mjs', mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = await once(child.stdout, 'data');
  return { port: Number(String(chunk).trim()), stop: () => child.kill('SIGTERM') };
}

/** One client connection: `next()` resolves with the arrival time of the next injection frame. */
async function connect(port, sessionId) {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/tenants/${TENANT}/streams/${sessionId}`);
  const waiting = [];
  const ready = new Promise((resolve, reject) => {
    socket.on('error', reject);
    socket.on('message', (data) => {
      const arrived = performance.now();
      const message = JSON.parse(String(data));
      if (message.type === 'ready') resolve();
      else if (message.type === 'injection') waiting.shift()?.(arrived);
      else if (message.type === 'error') reject(new Error(message.detail));
    });
  });
  await ready;
  const send = (value) => socket.send(JSON.stringify(value));
  return {
    /** One turn: the user's message, a short pause, then the turn end → the injection that waited for it. */
    async turn(content) {
      send({ type: 'turn-start', role: 'user' });
      send({ type: 'message', role: 'user', content });
      await new Promise((resolve) => setTimeout(resolve, 2));
      let timer;
      const arrival = new Promise((resolve) => {
        waiting.push(resolve);
        // An injection that never comes (skipped under load, say) is reported as lost, not waited for forever.
        timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(resolve), 1);
          resolve(Number.NaN);
        }, TURN_TIMEOUT_MS);
      });
      const sent = performance.now();
      send({ type: 'turn-end', role: 'user' });
      const arrived = await arrival;
      clearTimeout(timer);
      return arrived - sent;
    },
    close: () => socket.close(),
  };
}

function percentile(values, quantile) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
}

async function latencies(port, connections, iterations) {
  const clients = await Promise.all(
    Array.from({ length: connections }, (_, index) => connect(port, `ws${connections}-${index}`)),
  );
  for (let warm = 0; warm < 200 / connections + 20; warm++)
    await Promise.all(clients.map((client) => client.turn(MESSAGES[warm % 10])));
  const durations = [];
  for (let iteration = 0; iteration < iterations; iteration++) {
    const turns = await Promise.all(clients.map((client) => client.turn(MESSAGES[iteration % 10])));
    durations.push(...turns);
  }
  for (const client of clients) client.close();
  const arrived = durations.filter((duration) => !Number.isNaN(duration));
  const lost = durations.length - arrived.length;
  return { p50: percentile(arrived, 0.5), p99: percentile(arrived, 0.99), samples: arrived.length, lost };
}

async function webSocketLatency() {
  const bare = await startServer('bare');
  try {
    const floor = await latencies(bare.port, 1, LATENCY_ITERATIONS);
    report(
      '  bare ws server answering each turn end (p50 / p99)',
      `${floor.p50.toFixed(3)} ms`,
      `p99 ${floor.p99.toFixed(3)} ms`,
    );
  } finally {
    bare.stop();
  }
  const server = await startServer('engine');
  try {
    const one = await latencies(server.port, 1, LATENCY_ITERATIONS);
    report(
      'turn-end → injection frame over WebSocket, loopback (p50)',
      `${one.p50.toFixed(3)} ms`,
      `1 connection, ${one.samples} turns, ${one.lost} lost`,
    );
    report('turn-end → injection frame over WebSocket, loopback (p99)', `${one.p99.toFixed(3)} ms`, 'target ≤ 5 ms');
    const fifty = await latencies(server.port, 50, 100);
    report('  same, 50 concurrent connections (p50)', `${fifty.p50.toFixed(3)} ms`, `${fifty.samples} turns, ${fifty.lost} lost`);
    report('  same, 50 concurrent connections (p99)', `${fifty.p99.toFixed(3)} ms`);
    const response = await fetch(`http://127.0.0.1:${server.port}/v1/tenants/${TENANT}/injection/stats`);
    const { byReason } = await response.json();
    const other = Object.entries(byReason).filter(([key]) => !key.startsWith('delivered') && !key.startsWith('prepared'));
    if (other.length > 0)
      process.stdout.write(`  server outcomes besides delivered: ${other.map(([key, count]) => `${key} ${count}`).join(', ')}\n`);
  } finally {
    server.stop();
  }
}

const only = process.env.CTX_BENCH_INJECTION_ONLY; // `streams` or `websocket`: one part alone (for profiling)
if (only !== 'websocket') await streamSessions();
if (only !== 'streams') await webSocketLatency();
