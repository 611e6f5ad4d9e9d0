// Event-context benchmarks (seed 004), each against the seed's own figure, all on one event stream in one run:
// hot resolutions in-process and through resolve_batch over HTTP, cold resolutions and query latency (SQLite, and
// PostgreSQL when CTX_BENCH_POSTGRES_URL or CTX_TEST_POSTGRES_URL is set), emits per second with propagation,
// storage reduction against embedding the context in every event (wire and disk), and hot-tier memory per 100,000
// events against a plain object map. Baselines are measured in the same run.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createEngine, HotTier, runInEventScope } from '../dist/index.js';
import { formatRate, median, medianOf, report } from './stats.mjs';

// Memory is measured in a process of its own (`--memory <entries.json>`, run with --expose-gc) holding nothing else.
if (process.argv[2] === '--memory') {
  await measureMemory();
  process.exit(0);
}

const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const REPEATS = 3;
const AGENTS = [
  'planner',
  'researcher',
  'writer',
  'reviewer',
  'my_agent',
  'analyst',
  'critic',
  'router',
  'tool_runner',
  'summarizer',
];

/** One realistic stream: 1,000 requests, each a root and a tree of children (depth ≤ 4) from a few agents. */
async function emitStream(engine, tenantId, count) {
  const emitted = [];
  const perRequest = 100;
  for (let request = 0; request < count / perRequest; request++) {
    const link = {
      tenantId,
      eventId: null,
      rootEventId: null,
      correlationId: `corr_${request}`,
      depth: -1,
      traceId: request.toString(16).padStart(32, '0'),
      agentId: AGENTS[request % AGENTS.length],
      clientId: `client_${request % 20}`,
      sessionId: `session_${request % 100}`,
      originator: null,
    };
    await runInEventScope({ link }, async () => {
      const tree = [await engine.events.emit('request:received', { path: '/v1/chat', request })];
      for (let index = 1; index < perRequest; index++) {
        const parent = tree[Math.floor(Math.random() * tree.length)];
        const event = await engine.events.emit(
          index % 3 === 0 ? 'agent:status' : index % 3 === 1 ? 'completion:request' : 'tool:result',
          { status: 'active', step: index },
          {
            parent: parent.context,
            agentId: AGENTS[(request + index) % AGENTS.length],
            ...(index % 10 === 0 ? { custom: { iteration: index } } : {}),
          },
        );
        if (event.context.depth < 4) tree.push(event);
        emitted.push(event);
      }
      emitted.push(tree[0]);
    });
  }
  return emitted;
}

/**
 * CPU seconds this process spent since `since` (a process.cpuUsage() reading): on a shared machine the wall-clock
 * rates move with everyone else's load, operations per CPU-second much less.
 */
function cpuSecondsSince(since) {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}
const perCpu = (values) => `${formatRate(median(values))} per CPU-second`;

/** Starts bench/events-server.mjs on the bench's database and checkpoint; resolves once it listens. */
async function startEventsServer(databaseFile, checkpoint) {
  const child = spawn(process.execPath, [new URL('./events-server.mjs', import.meta.url).pathname, databaseFile, checkpoint], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = await once(child.stdout, 'data');
  const { port, entries } = JSON.parse(String(chunk));
  return {
    url: `http://127.0.0.1:${port}`,
    entries,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

const directory = mkdtempSync(join(tmpdir(), 'ctx-bench-events-'));

// --- emits per second to the hot tier: bursts of 25,000 (below the 32,000 the cold writer buffers before it pushes
// back), each followed by an untimed flush, so the figure is the emit path itself ---
const memoryEngine = await createEngine({ databaseUrl: 'memory:' });
await memoryEngine.tenants.create({ id: 'bench' });
const emitCpuRates = [];
const hotOnly = await medianOf(REPEATS, async () => {
  let seconds = 0;
  let cpuSeconds = 0;
  let emitted = 0;
  for (let burst = 0; burst < EVENTS / 25_000; burst++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    emitted += (await emitStream(memoryEngine, 'bench', 25_000)).length;
    seconds += (performance.now() - started) / 1000;
    cpuSeconds += cpuSecondsSince(cpu);
    await memoryEngine.events.flush();
  }
  emitCpuRates.push(emitted / cpuSeconds);
  return emitted / seconds;
});
await memoryEngine.close();
report(
  'emits/s with propagation, to the hot tier, bursts of 25,000',
  formatRate(hotOnly),
  `target >= 100,000/s; ${perCpu(emitCpuRates)}`,
);

const engine = await createEngine({ databaseUrl: `sqlite:${join(directory, 'events.db')}`, server: { logLevel: 'silent' } });
await engine.tenants.create({ id: 'bench' });

// --- emits per second with propagation on (to the hot tier; cold writes follow in batches) ---
const emitRates = [];
let stream = [];
for (let round = 0; round < REPEATS; round++) {
  const started = performance.now();
  const events = await emitStream(engine, 'bench', EVENTS);
  emitRates.push(events.length / ((performance.now() - started) / 1000));
  stream = events;
}
await engine.events.flush();
report(
  'emits/s with propagation, sustained, SQLite cold tier (median)',
  formatRate(median(emitRates)),
  'bounded by durable cold writes',
);

// --- hot resolutions in-process, against a plain Map in the same run ---
const refs = stream.map((event) => event.ref);
const hot = engine.events.hot;
const hotCpuRates = [];
const hotRate = await medianOf(REPEATS, () => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let found = 0;
  for (let pass = 0; pass < 5; pass++) for (const ref of refs) if (hot.get('bench', ref) !== undefined) found++;
  if (found !== refs.length * 5) throw new Error(`hot tier lost ${refs.length * 5 - found} refs`);
  hotCpuRates.push(found / cpuSecondsSince(cpu));
  return found / ((performance.now() - started) / 1000);
});
const plain = new Map(stream.map((event) => [event.ref, event.context]));
const mapRate = await medianOf(REPEATS, () => {
  const started = performance.now();
  let found = 0;
  for (let pass = 0; pass < 5; pass++) for (const ref of refs) if (plain.get(ref) !== undefined) found++;
  return found / ((performance.now() - started) / 1000);
});
report(
  'hot resolutions/s in-process, decoded contexts (median)',
  formatRate(hotRate),
  `seed 50K+/s; target >= 2,000,000/s; ${perCpu(hotCpuRates)}`,
);
report('  baseline: Map.get of ready objects, same refs', formatRate(mapRate), `ratio ${(hotRate / mapRate).toFixed(2)}`);
const apiRate = await medianOf(REPEATS, async () => {
  const started = performance.now();
  for (const ref of refs) await engine.events.resolve('bench', ref);
  return refs.length / ((performance.now() - started) / 1000);
});
report('  through engine.events.resolve (awaited, one by one)', formatRate(apiRate));

// --- resolve_batch over HTTP (1,000 refs per request, 8 requests in flight): the server in a process of its own, its
// hot tier restored from a checkpoint of this stream, the client here (sharing one event loop, the two measured
// each other's JSON work as one) ---
const checkpointFile = join(directory, 'hot.checkpoint');
await engine.events.saveCheckpoint(checkpointFile);
const server = await startEventsServer(join(directory, 'events.db'), checkpointFile);
const batches = [];
for (let start = 0; start + 1000 <= refs.length; start += 1000)
  batches.push(JSON.stringify({ refs: refs.slice(start, start + 1000) }));
const httpRate = await medianOf(REPEATS, async () => {
  let next = 0;
  let resolved = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        const body = batches[next++];
        const response = await fetch(`${server.url}/v1/tenants/bench/context/resolve_batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const answer = await response.json();
        for (const context of Object.values(answer.contexts)) if (context !== null) resolved++;
      }
    }),
  );
  return resolved / ((performance.now() - started) / 1000);
});
report(
  'hot resolutions/s through resolve_batch over HTTP (median)',
  formatRate(httpRate),
  `target >= 200,000 refs/s; server process restored ${server.entries.toLocaleString('en-US')} hot entries`,
);
await server.stop();

// --- cold resolutions and query latency ---
async function coldFigures(name, store) {
  const sample = refs.slice(0, 20_000);
  const single = await medianOf(REPEATS, async () => {
    const started = performance.now();
    for (const ref of sample.slice(0, name === 'sqlite' ? 20_000 : 3_000))
      if (!(await store.eventContexts.get('bench', ref))) throw new Error('cold miss');
    return (name === 'sqlite' ? 20_000 : 3_000) / ((performance.now() - started) / 1000);
  });
  report(`${name} cold resolutions/s, one by one (median)`, formatRate(single));
  const batched = await medianOf(REPEATS, async () => {
    const started = performance.now();
    for (let start = 0; start < sample.length; start += 1000)
      await store.eventContexts.getMany('bench', sample.slice(start, start + 1000));
    return sample.length / ((performance.now() - started) / 1000);
  });
  report(`${name} cold resolutions/s, batches of 1,000 (median)`, formatRate(batched));
  const latencies = [];
  for (let index = 0; index < 300; index++) {
    const started = performance.now();
    await store.eventContexts.query('bench', { correlationId: `corr_${index % 1000}`, limit: 100 });
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  report(
    `${name} query by correlation id (100 events), p50 / p99`,
    `${median(latencies).toFixed(2)} / ${latencies[Math.floor(latencies.length * 0.99)].toFixed(2)} ms`,
    'seed 1-10 ms simple',
  );
}
await coldFigures('sqlite', engine.store);

const postgresUrl = process.env.CTX_BENCH_POSTGRES_URL ?? process.env.CTX_TEST_POSTGRES_URL;
if (postgresUrl) {
  const name = `ctx_bench_events_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    const pgEngine = await createEngine({ databaseUrl: url.toString() });
    await pgEngine.tenants.create({ id: 'bench' });
    for (let start = 0; start < stream.length; start += 1000)
      await pgEngine.store.eventContexts.putMany(stream.slice(start, start + 1000));
    // as autovacuum would after a bulk load: planner statistics, so lookups use the primary key
    const analyze = new pg.Client({ connectionString: url.toString() });
    await analyze.connect();
    await analyze.query('ANALYZE event_contexts');
    await analyze.end();
    await coldFigures('postgres', pgEngine.store);
    await pgEngine.close();
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

// --- storage: events with a reference vs events embedding their context (wire and disk) ---
const embedded = stream.map((event) => JSON.stringify({ event: event.event, data: event.data, _ctx: event.context }));
const referenced = stream.map((event) => JSON.stringify({ event: event.event, data: event.data, _ctx: event.ref }));
const bytes = (lines) => lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
const contextBytes = stream.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event.context)), 0);
const refBytes = stream.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event.ref)), 0);
report(
  'context on the wire: reference vs embedded, per event',
  `${(refBytes / stream.length).toFixed(0)} vs ${(contextBytes / stream.length).toFixed(0)} B`,
  `reduction ${(100 * (1 - refBytes / contextBytes)).toFixed(1)}%`,
);
report(
  'whole event on the wire: reference vs embedded',
  `${(bytes(referenced) / stream.length).toFixed(0)} vs ${(bytes(embedded) / stream.length).toFixed(0)} B`,
  `reduction ${(100 * (1 - bytes(referenced) / bytes(embedded))).toFixed(1)}% (seed 70.6%; target >= 80%)`,
);
function diskBytes(rows, file) {
  const database = new Database(join(directory, file));
  database.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, event TEXT NOT NULL, data TEXT, ctx TEXT NOT NULL)');
  const insert = database.prepare('INSERT INTO events (event, data, ctx) VALUES (?, ?, ?)');
  database.transaction(() => {
    for (const row of rows) insert.run(row.event, JSON.stringify(row.data), row.ctx);
  })();
  database.exec('VACUUM');
  database.close();
  return statSync(join(directory, file)).size;
}
const diskEmbedded = diskBytes(
  stream.map((event) => ({ ...event, ctx: JSON.stringify(event.context) })),
  'embedded.db',
);
const diskReferenced = diskBytes(
  stream.map((event) => ({ ...event, ctx: event.ref })),
  'referenced.db',
);
report(
  'event log on disk (SQLite): reference vs embedded',
  `${(diskReferenced / 1e6).toFixed(1)} vs ${(diskEmbedded / 1e6).toFixed(1)} MB`,
  `reduction ${(100 * (1 - diskReferenced / diskEmbedded)).toFixed(1)}%`,
);
const coldDb = statSync(join(directory, 'events.db')).size;
report(
  '  the cold tier holding the contexts once (all tables)',
  `${(coldDb / 1e6).toFixed(1)} MB`,
  `${(EVENTS * REPEATS).toLocaleString('en-US')} contexts, dedup ratio ${(await engine.events.stats('bench')).dedupRatio}`,
);

const entriesFile = join(directory, 'entries.json');
writeFileSync(
  entriesFile,
  JSON.stringify(stream.slice(0, 100_000).map(({ ref, event, context }) => ({ tenantId: 'bench', ref, event, context }))),
);
execFileSync(process.execPath, ['--expose-gc', process.argv[1], '--memory', entriesFile], { stdio: 'inherit' });
await engine.close();
rmSync(directory, { recursive: true, force: true });

/** Hot-tier memory per 100,000 events against a Map of plain objects, each after a full collection. */
async function measureMemory() {
  // --- hot-tier memory per 100,000 events vs a plain object map ---
  async function heap() {
    for (let round = 0; round < 4; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      globalThis.gc();
    }
    return process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  }
  const copies = JSON.parse(readFileSync(process.argv[3], 'utf8'));
  const perHundredThousand = 100_000 / copies.length;
  let before = await heap();
  const tier = new HotTier();
  for (const entry of copies) tier.insert(entry);
  const tierBytes = (await heap()) - before;
  before = await heap();
  const objects = new Map(copies.map((entry) => [entry.ref, structuredClone(entry)]));
  const mapBytes = (await heap()) - before;
  report(
    'hot-tier memory per 100,000 events',
    `${((tierBytes * perHundredThousand) / 1e6).toFixed(1)} MB`,
    `seed ~10 MB; target <= 10 MB; own estimate ${((tier.bytes * perHundredThousand) / 1e6).toFixed(1)} MB`,
  );
  report(
    '  baseline: Map of plain objects, same events',
    `${((mapBytes * perHundredThousand) / 1e6).toFixed(1)} MB`,
    `ratio ${(tierBytes / mapBytes).toFixed(2)}`,
  );
  if (tier.size !== objects.size) throw new Error('sizes differ');
}
