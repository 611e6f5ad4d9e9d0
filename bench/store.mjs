// Store benchmarks on a real SQLite file: durable versioned writes (1 and 32 writers) and in-process reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../dist/index.js';
import { formatRate, medianOf, report } from './stats.mjs';

const REPEATS = 3;
const directory = mkdtempSync(join(tmpdir(), 'ctx-bench-store-'));
const engine = await createEngine({ databaseUrl: `sqlite:${join(directory, 'bench.db')}` });
await engine.tenants.create({ id: 'bench' });
const payload = { summary: 'Acme sells accounting software to small firms.', tags: ['b2b', 'saas'], score: 0.5 };

async function writes(writers, perWriter, round) {
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

const oneWriter = await medianOf(REPEATS, (round) => writes(1, 500, round));
report('sqlite durable writes, 1 writer (median)', formatRate(oneWriter));
const manyWriters = await medianOf(REPEATS, (round) => writes(32, 250, round));
report('sqlite durable writes, 32 concurrent writers (median)', formatRate(manyWriters), 'target >= 5,000/s');
report('  ratio 32 writers / 1 writer (group commit)', `${(manyWriters / oneWriter).toFixed(1)}x`);

// Reads: a document with 5 versions per key, 1,000 keys.
await Promise.all(
  Array.from({ length: 1000 }, async (_, index) => {
    for (let version = 0; version < 5; version++) await engine.contexts.put('bench', `read/k${index}`, { ...payload, version });
  }),
);

async function reads(count, read) {
  const started = performance.now();
  for (let index = 0; index < count; index++) await read(index % 1000);
  return count / ((performance.now() - started) / 1000);
}

const current = await medianOf(REPEATS, () => reads(200_000, (index) => engine.contexts.get('bench', `read/k${index}`)));
report('sqlite reads in-process, current version (median)', formatRate(current), 'target >= 100,000/s');
const atVersion = await medianOf(REPEATS, () =>
  reads(200_000, (index) => engine.contexts.get('bench', `read/k${index}`, { version: (index % 5) + 1 })),
);
report('sqlite reads in-process, at a version (median)', formatRate(atVersion), 'target >= 100,000/s');

await engine.close();
rmSync(directory, { recursive: true, force: true });
