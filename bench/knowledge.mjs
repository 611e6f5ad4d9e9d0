// Knowledge benchmarks: retrieval quality (recall@k per mode on the committed evaluation set), search latency p50/p99
// per mode with 100,000 items in one tenant on SQLite (and PostgreSQL when CTX_BENCH_POSTGRES_URL or
// CTX_TEST_POSTGRES_URL is set), and recall@10 of each backend's vector search (SQLite: usearch HNSW; PostgreSQL:
// pgvector HNSW) against an exact in-process scan of the same items, in the same run. `node bench/knowledge.mjs` (needs dist/: `npm run build`, or run it through `npm run bench knowledge`).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createEngine } from '../dist/index.js';
import { report } from './stats.mjs';

const MODES = ['lexical', 'vector', 'hybrid'];
const ITEMS = Number(process.env.CTX_BENCH_KNOWLEDGE_ITEMS ?? 100_000);
const QUERIES = 100;
// Without pgvector the PostgreSQL vector scan (real[]) takes seconds per query at 100,000 items.
const POSTGRES_QUERIES = Number(process.env.CTX_BENCH_POSTGRES_QUERIES ?? QUERIES);
const BATCH = 1000;

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

async function withTempSqlite(work) {
  const directory = mkdtempSync(join(tmpdir(), 'ctx-bench-knowledge-'));
  const engine = await createEngine({ databaseUrl: `sqlite:${join(directory, 'context.db')}`, server: { logLevel: 'silent' } });
  try {
    return await work(engine);
  } finally {
    await engine.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

async function addAll(engine, tenant, items) {
  for (let start = 0; start < items.length; start += BATCH) await engine.knowledge.add(tenant, items.slice(start, start + BATCH));
}

/** Recall@k: the share of questions whose relevant item is among the first k distinct items returned. */
async function evaluate(engine) {
  const data = JSON.parse(readFileSync(new URL('./data/knowledge-eval.json', import.meta.url), 'utf8'));
  await engine.tenants.create({ id: 'eval' });
  await addAll(engine, 'eval', data.items);
  // 2,160 chunks: above both index thresholds, so the in-process BM25 index and HNSW answer (as in production).
  await engine.knowledge.prepare('eval');
  report('evaluation set', `${data.items.length} items`, `${data.questions.length} questions, 60 users × 4 sessions`);
  for (const mode of MODES) {
    const hits = { 1: 0, 5: 0, 10: 0 };
    for (const question of data.questions) {
      const { results } = await engine.knowledge.search('eval', { query: question.question, mode, topK: 10, threshold: 0 });
      const ids = [...new Set(results.map((result) => result.id))];
      for (const k of [1, 5, 10]) if (ids.slice(0, k).some((id) => question.relevant.includes(id))) hits[k] += 1;
    }
    const recall = (k) => (hits[k] / data.questions.length).toFixed(3);
    report(`recall@1 / @5 / @10, ${mode}`, `${recall(1)} / ${recall(5)} / ${recall(10)}`);
  }
}

/** 100,000 items of 20–60 words drawn from a Zipf-like vocabulary, with metadata to filter on. */
function syntheticItems(count) {
  const random = mulberry32(7);
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'qui', 'dor', 'san', 'pe', 'lu', 'ber', 'ton', 'gra', 'fi', 'nel'];
  const vocabulary = Array.from({ length: 6000 }, (_, index) => {
    let word = '';
    let value = index + 17;
    do {
      word += syllables[value % syllables.length];
      value = Math.floor(value / syllables.length);
    } while (value > 0);
    return word;
  });
  const word = () => vocabulary[Math.floor(vocabulary.length * random() ** 2.5)];
  const items = Array.from({ length: count }, (_, index) => ({
    id: `doc-${index}`,
    text: Array.from({ length: 20 + Math.floor(random() * 40) }, word).join(' '),
    metadata: { shard: index % 10, year: 2020 + (index % 6) },
  }));
  const queries = Array.from({ length: QUERIES }, () => Array.from({ length: 2 + Math.floor(random() * 4) }, word).join(' '));
  return { items, queries };
}

async function latency(engine, tenant, queries, mode) {
  const times = [];
  for (const query of queries) {
    const started = performance.now();
    await engine.knowledge.search(tenant, { query, mode, topK: 10, threshold: 0 });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

async function loadLarge(name, engine, items) {
  await engine.tenants.create({ id: 'large' });
  const started = performance.now();
  await addAll(engine, 'large', items);
  const seconds = (performance.now() - started) / 1000;
  report(
    `${name}: add ${items.length.toLocaleString('en-US')} items`,
    `${seconds.toFixed(1)} s`,
    `${Math.round(items.length / seconds)}/s`,
  );
  // SQLite builds its HNSW index in the background (exact scans meanwhile): wait for it before measuring.
  const waited = performance.now();
  await engine.knowledge.prepare('large');
  report(`${name}: vector index ready after the load`, `${((performance.now() - waited) / 1000).toFixed(1)} s`);
}

async function measureLatency(name, engine, queries) {
  for (const mode of MODES) {
    const { p50, p99 } = await latency(engine, 'large', queries, mode);
    report(`${name}: search ${mode} p50 / p99`, `${p50.toFixed(1)} / ${p99.toFixed(1)} ms`, `${queries.length} queries, topK 10`);
  }
}

/**
 * recall@10 of one engine's vector search against another's exact scan (memory: every cosine in JavaScript), strict
 * (the same chunks) and tie-aware (a result counts when its cosine is at least the exact 10th, within float32 rounding: with identical
 * vectors, which of the tied chunks is "the" answer is arbitrary).
 */
async function vectorRecall(candidate, exact, queries) {
  if (exact === undefined) return { strict: Number.NaN, tieAware: Number.NaN };
  let strict = 0;
  let tieAware = 0;
  for (const query of queries) {
    const [got, truth] = await Promise.all([
      candidate.knowledge.search('large', { query, mode: 'vector', topK: 10, threshold: 0 }),
      exact.knowledge.search('large', { query, mode: 'vector', topK: 10, threshold: 0 }),
    ]);
    const truthIds = new Set(truth.results.map((result) => result.chunkId));
    const wanted = Math.max(1, truthIds.size);
    const kth = truth.results.at(-1)?.score ?? 0;
    strict += got.results.filter((result) => truthIds.has(result.chunkId)).length / wanted;
    tieAware += Math.min(wanted, got.results.filter((result) => result.score >= kth - 1e-6).length) / wanted;
  }
  return { strict: strict / queries.length, tieAware: tieAware / queries.length };
}

async function postgres(url, items, queries, exact) {
  const name = `ctx_bench_knowledge_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const engine = await createEngine({ databaseUrl: target.toString() });
  try {
    await loadLarge('postgres', engine, items);
    // Statistics as autovacuum would leave them after a bulk load: without them the planner takes the tenant's
    // btree range and sorts every row instead of walking the HNSW index.
    const analyze = new pg.Client({ connectionString: target.toString() });
    await analyze.connect();
    await analyze.query('ANALYZE knowledge_chunks');
    await analyze.end();
    await measureLatency('postgres', engine, queries.slice(0, POSTGRES_QUERIES));
    const recall = await vectorRecall(engine, exact, queries.slice(0, 50));
    report(
      'postgres: vector recall@10 vs exact scan (strict / tie-aware)',
      `${recall.strict.toFixed(3)} / ${recall.tieAware.toFixed(3)}`,
      'pgvector HNSW (ef_search 100, iterative scan)',
    );
  } finally {
    await engine.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (process.env.CTX_BENCH_SKIP_EVAL !== '1' && existsSync(new URL('./data/knowledge-eval.json', import.meta.url)))
  await withTempSqlite((engine) => evaluate(engine));
const { items, queries } = syntheticItems(ITEMS);
const exact = await createEngine({ databaseUrl: 'memory:' });
try {
  await exact.tenants.create({ id: 'large' });
  await addAll(exact, 'large', items);
  await withTempSqlite(async (sqlite) => {
    await loadLarge('sqlite', sqlite, items);
    await measureLatency('sqlite', sqlite, queries);
    const recall = await vectorRecall(sqlite, exact, queries.slice(0, 50));
    report(
      'sqlite: vector recall@10 vs exact scan (strict / tie-aware)',
      `${recall.strict.toFixed(3)} / ${recall.tieAware.toFixed(3)}`,
      'usearch HNSW (int8, M 16, ef_search 128), re-ranked exactly',
    );
  });
  const { p50 } = await latency(exact, 'large', queries.slice(0, 30), 'vector');
  report('memory: exact vector scan p50 (reference)', `${p50.toFixed(1)} ms`);
  const postgresUrl = process.env.CTX_BENCH_POSTGRES_URL ?? process.env.CTX_TEST_POSTGRES_URL;
  if (postgresUrl && process.env.CTX_BENCH_SKIP_POSTGRES !== '1') await postgres(postgresUrl, items, queries, exact);
  else report('postgres', 'skipped', 'set CTX_BENCH_POSTGRES_URL to measure it');
} finally {
  await exact.close();
}
