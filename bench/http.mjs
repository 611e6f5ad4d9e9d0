// HTTP benchmark: GET and PUT contexts/:key at 50 connections against the real API (SQLite), and the
// ratio to a bare Fastify route answering the same JSON, measured in the same run.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { formatRate, median, report } from './stats.mjs';

const CONNECTIONS = 50;
const DURATION_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const REPEATS = 5;
const value = { summary: 'Acme sells accounting software to small firms.', tags: ['b2b', 'saas'], score: 0.5 };
const sample = {
  value,
  get: {
    key: 'doc/k1',
    version: 1,
    value,
    contentHash: 'a'.repeat(64),
    source: 'api',
    author: 'anonymous',
    createdAt: new Date().toISOString(),
    updateId: 'upd_000000000000000000000',
    parentVersion: null,
  },
  put: {
    key: 'doc/k1',
    version: 1,
    status: 'applied',
    updateId: 'upd_000000000000000000000',
    contentHash: 'a'.repeat(64),
    createdAt: new Date().toISOString(),
  },
};

async function startServer(mode) {
  const child = spawn(process.execPath, ['bench/http-server.mjs', mode, JSON.stringify(sample)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = await once(child.stdout, 'data');
  return { port: Number(String(chunk).trim()), stop: () => child.kill('SIGTERM') };
}

async function load(port, options) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    duration: DURATION_SECONDS,
    ...options,
  });
  const ok = result['2xx'];
  if (result.non2xx > 0 || result.errors > 0)
    process.stderr.write(`  warning: ${result.non2xx} non-2xx, ${result.errors} errors\n`);
  return { rate: ok / DURATION_SECONDS, p99: result.latency.p99 };
}

async function measureOnce(mode, request) {
  const server = await startServer(mode);
  try {
    return await load(server.port, request);
  } finally {
    server.stop();
  }
}

/**
 * The engine and the bare baseline, round by round in alternating order (engine-bare, bare-engine, …): on a shared
 * machine the load drifts, and interleaving exposes both to the same drift, so their ratio stays comparable.
 */
async function measurePair(engineRequest, bareRequest) {
  const runs = { engine: [], bare: [] };
  for (let round = 0; round < REPEATS; round++) {
    const order = round % 2 === 0 ? ['engine', 'bare'] : ['bare', 'engine'];
    for (const mode of order) {
      const request = mode === 'engine' ? engineRequest(round) : bareRequest(round);
      runs[mode].push(await measureOnce(mode, request));
    }
  }
  const summary = (list) => ({ rate: median(list.map((run) => run.rate)), p99: median(list.map((run) => run.p99)) });
  return { engine: summary(runs.engine), bare: summary(runs.bare) };
}

const getRequest = (prefix) => () => ({ requests: [{ method: 'GET', path: `${prefix}/doc/k1` }] });
let sequence = 0;
const putRequest = (prefix) => (round) => ({
  requests: [
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      // A new key per request: every PUT makes a new durable version.
      setupRequest: (request) => {
        sequence += 1;
        return {
          ...request,
          path: `${prefix}/doc/r${round}/k${sequence}`,
          body: JSON.stringify({ value: { ...value, sequence } }),
        };
      },
    },
  ],
});

const { engine: engineGet, bare: bareGet } = await measurePair(getRequest('/v1/tenants/bench/contexts'), getRequest('/bare'));
report('HTTP GET contexts/:key, 50 connections (median)', formatRate(engineGet.rate), `p99 ${engineGet.p99} ms`);
report('HTTP GET bare Fastify, same JSON (median)', formatRate(bareGet.rate), `p99 ${bareGet.p99} ms`);
report('  ratio GET engine / bare', (engineGet.rate / bareGet.rate).toFixed(2), 'target >= 0.6');

const { engine: enginePut, bare: barePut } = await measurePair(putRequest('/v1/tenants/bench/contexts'), putRequest('/bare'));
report('HTTP PUT contexts/:key (durable), 50 connections (median)', formatRate(enginePut.rate), `p99 ${enginePut.p99} ms`);
report('HTTP PUT bare Fastify, same JSON (median)', formatRate(barePut.rate), `p99 ${barePut.p99} ms`);
report('  ratio PUT engine / bare', (enginePut.rate / barePut.rate).toFixed(2));
