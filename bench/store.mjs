// Store benchmarks: durable versioned writes (1 and 32 writers) and in-process reads, on a real SQLite file and,
// when CTX_BENCH_POSTGRES_URL (or CTX_TEST_POSTGRES_URL) names a PostgreSQL server, on a fresh database there,
// with the PostgreSQL / SQLite ratios measured in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createEngine } from '../dist/index.js';
import { formatRate, medianOf, report } from './stats.mjs';

const REPEATS = 3;
const payload = { summary: 'Acme sells accounting software to small firms.', tags: ['b2b', 'saas'], score: 0.5 };

async function writes(engine, writers, perWriter, round) {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let index = 0; index < perWriter; index++) {
        await engine.contexts.put('bench', `w${writers}/r${round}/k${writer}-${index}`, { ...payload, index });
      }
    }),
  );
  return (writers * perWriter) / ((performance.now() - started) / 1000);
}

async function reads(count, read) {
  const started = performance.now();
  for (let index = 0; index < count; index++) await read(index % 1000);
  return count / ((performance.now() - started) / 1000);
}

/** Measures one backend and returns its figures. */
async function measure(name, databaseUrl, readCount) {
  const engine = await createEngine({ databaseUrl });
  await engine.tenants.create({ id: 'bench' });
  const one = await medianOf(REPEATS, (round) => writes(engine, 1, name === 'sqlite' ? 500 : 300, round));
  report(`${name} durable writes, 1 writer (median)`, formatRate(one));
  const many = await medianOf(REPEATS, (round) => writes(engine, 32, 250, round));
  report(
    `${name} durable writes, 32 concurrent writers (median)`,
    formatRate(many),
    name === 'sqlite' ? 'target >= 5,000/s' : 'target >= 3,000/s',
  );
  report(`  ratio 32 writers / 1 writer (group commit)`, `${(many / one).toFixed(1)}x`);
  await Promise.all(
    Array.from({ length: 1000 }, async (_, index) => {
      for (let version = 0; version < 5; version++) await engine.contexts.put('bench', `read/k${index}`, { ...payload, version });
    }),
  );
  const current = await medianOf(REPEATS, () => reads(readCount, (index) => engine.contexts.get('bench', `read/k${index}`)));
  report(
    `${name} reads in-process, current version (median)`,
    formatRate(current),
    name === 'sqlite' ? 'target >= 100,000/s' : '',
  );
  const atVersion = await medianOf(REPEATS, () =>
    reads(readCount, (index) => engine.contexts.get('bench', `read/k${index}`, { version: (index % 5) + 1 })),
  );
  report(
    `${name} reads in-process, at a version (median)`,
    formatRate(atVersion),
    name === 'sqlite' ? 'target >= 100,000/s' : '',
  );
  await engine.close();
  return { many, current };
}

const directory = mkdtempSync(join(tmpdir(), 'ctx-bench-store-'));
const sqlite = await measure('sqlite', `sqlite:${join(directory, 'bench.db')}`, 200_000);
{
  // The same writes with the engine's own events not recorded as event contexts (events.recordEngineEvents).
  const engine = await createEngine({
    databaseUrl: `sqlite:${join(directory, 'bench-no-events.db')}`,
    events: { recordEngineEvents: false },
  });
  await engine.tenants.create({ id: 'bench' });
  const many = await medianOf(REPEATS, (round) => writes(engine, 32, 250, round));
  report('sqlite durable writes, 32 writers, engine events not recorded (median)', formatRate(many));
  await engine.close();
}
rmSync(directory, { recursive: true, force: true });

const postgresUrl = process.env.CTX_BENCH_POSTGRES_URL ?? process.env.CTX_TEST_POSTGRES_URL;
if (postgresUrl) {
  const name = `ctx_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(postgresUrl);
    url.pathname = `/${name}`;
    const postgres = await measure('postgres', url.toString(), 20_000);
    report('  ratio postgres / sqlite, 32 writers', (postgres.many / sqlite.many).toFixed(2));
    report('  ratio postgres / sqlite, current-version reads', (postgres.current / sqlite.current).toFixed(3));
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
} else {
  process.stdout.write('(set CTX_BENCH_POSTGRES_URL=postgres://… to measure PostgreSQL too)\n');
}
