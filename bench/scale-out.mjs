// Scale-out benchmark: HTTP write and read throughput of one vs two engine instances on one PostgreSQL database
// (and Redis when CTX_BENCH_REDIS_URL / CTX_TEST_REDIS_URL is set), 50 connections in all, in the same run.
// Needs CTX_BENCH_POSTGRES_URL (or CTX_TEST_POSTGRES_URL). Every instance is its own `ctx serve` process.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import pg from 'pg';
import { formatRate, median, report } from './stats.mjs';

const postgresUrl = process.env.CTX_BENCH_POSTGRES_URL ?? process.env.CTX_TEST_POSTGRES_URL;
const redisUrl = process.env.CTX_BENCH_REDIS_URL ?? process.env.CTX_TEST_REDIS_URL;
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const REPEATS = 3;
const CONNECTIONS = 50;

if (!postgresUrl) {
  process.stdout.write('(set CTX_BENCH_POSTGRES_URL=postgres://… to measure one vs two instances on PostgreSQL)\n');
  process.exit(0);
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startInstance(databaseUrl) {
  const port = await freePort();
  const env = { ...process.env, CTX_DATABASE_URL: databaseUrl, CTX_LOG_LEVEL: 'silent', CTX_RATE_LIMIT_MAX: '100000000' };
  if (redisUrl) env.CTX_REDIS_URL = redisUrl;
  else delete env.CTX_REDIS_URL;
  const child = spawn(process.execPath, ['bin/ctx.js', 'serve', '--port', String(port)], { env, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return { base, stop: () => child.kill('SIGTERM') };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error('instance did not start');
}

let sequence = 0;
const value = { summary: 'Acme sells accounting software to small firms.', tags: ['b2b', 'saas'], score: 0.5 };
const requests = {
  read: () => [{ method: 'GET', path: '/v1/tenants/bench/contexts/doc/k1' }],
  write: () => [
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => {
        sequence += 1;
        return {
          ...request,
          path: `/v1/tenants/bench/contexts/load/k${sequence}`,
          body: JSON.stringify({ value: { ...value, sequence } }),
        };
      },
    },
  ],
};

/** Runs the load against the instances (connections split evenly) and returns requests/s. */
async function load(instances, kind) {
  const results = await Promise.all(
    instances.map((instance) =>
      autocannon({
        url: instance.base,
        connections: CONNECTIONS / instances.length,
        duration: SECONDS,
        requests: requests[kind](),
      }),
    ),
  );
  return results.reduce((sum, result) => sum + result['2xx'], 0) / SECONDS;
}

const admin = new pg.Client({ connectionString: postgresUrl });
await admin.connect();
const name = `ctx_bench_scale_${process.pid}`;
await admin.query(`CREATE DATABASE ${name}`);
const url = new URL(postgresUrl);
url.pathname = `/${name}`;
try {
  const seed = await startInstance(url.toString());
  await fetch(`${seed.base}/v1/tenants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"id":"bench"}',
  });
  await fetch(`${seed.base}/v1/tenants/bench/contexts/doc/k1`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ value }),
  });
  seed.stop();
  const figures = {};
  for (const count of [1, 2]) {
    for (const kind of ['write', 'read']) {
      const rates = [];
      for (let round = 0; round < REPEATS; round++) {
        const instances = await Promise.all(Array.from({ length: count }, () => startInstance(url.toString())));
        try {
          rates.push(await load(instances, kind));
        } finally {
          for (const instance of instances) instance.stop();
        }
      }
      figures[`${kind}${count}`] = median(rates);
      report(
        `postgres HTTP ${kind === 'write' ? 'PUT' : 'GET'}, ${count} instance${count > 1 ? 's' : ''}, 50 connections (median)`,
        formatRate(figures[`${kind}${count}`]),
      );
    }
  }
  report('  ratio two instances / one, writes', (figures.write2 / figures.write1).toFixed(2));
  report(
    '  ratio two instances / one, reads',
    (figures.read2 / figures.read1).toFixed(2),
    `(${redisUrl ? 'with' : 'without'} Redis; 2 cores shared with the load generator)`,
  );
} finally {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
