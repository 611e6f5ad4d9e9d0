// Run benchmarks (seed 001): phase read and write latency in-process (memory and a real SQLite file), concurrent
// phase writers, the compressed size of a typical run, and export/import throughput.
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createEngine } from '../dist/index.js';
import { formatRate, median, report } from './stats.mjs';

/** A typical five-phase run: about what the seed's agents write (tens of issues, tasks and changes). */
function typicalPhases(seed) {
  const list = (count, make) => Array.from({ length: count }, (_, index) => make(index));
  return {
    original_analysis: {
      filesAnalyzed: 120 + seed,
      metrics: { complexity: 3.5, coverage: 75, maintainability: 62.5, duplication: 4.1, docstrings: 40 },
      issues: list(30, (index) => ({
        type: index % 3 ? 'code_smell' : 'missing_docstring',
        location: `src/module_${index}.py:${10 + index}`,
        message: `Function handler_${index} is too long`,
      })),
      improvements: list(20, (index) => ({
        type: index % 2 ? 'docstring' : 'refactor',
        priority: ['low', 'medium', 'high'][index % 3],
        target: `handler_${index}`,
      })),
    },
    external_research: {
      bestPractices: list(15, (index) => `Best practice ${index}: keep functions under 40 lines and document their contract`),
      references: list(10, (index) => ({ url: `https://example.com/articles/${index}`, title: `Reference article ${index}` })),
      patterns: list(8, (index) => ({ name: `Pattern ${index}`, applicability: (index % 10) / 10 })),
    },
    improvement_plan: {
      tasks: list(25, (index) => ({ id: `task-${index}`, title: `Refactor handler_${index}`, estimate: index % 5 })),
      priorities: list(10, (index) => `task-${index}`),
      dependencies: Object.fromEntries(list(10, (index) => [`task-${index + 1}`, [`task-${index}`]])),
      estimatedImpact: 0.7,
    },
    implementation_log: {
      modifiedFiles: list(20, (index) => `src/module_${index}.py`),
      changes: list(40, (index) => ({
        file: `src/module_${index % 20}.py`,
        type: index % 2 ? 'docstring_added' : 'function_split',
      })),
      rollbackPoints: list(5, (index) => ({
        id: `checkpoint-${index}`,
        timestamp: new Date(1_700_000_000_000 + index).toISOString(),
      })),
    },
    evaluation_results: {
      goalsAchieved: ['documentation', 'complexity'],
      metricsComparison: {
        before: { complexity: 3.5, coverage: 75 },
        after: { complexity: 2.8, coverage: 81 },
        delta: { complexity: -0.7, coverage: 6 },
      },
      successRate: 0.85,
    },
  };
}

async function typicalRun(engine, tenantId, seed) {
  const run = await engine.runs.create({
    tenantId,
    targetPath: `./project-${seed}`,
    focusAreas: ['documentation', 'complexity'],
  });
  for (const [phase, data] of Object.entries(typicalPhases(seed))) await engine.runs.writePhase(tenantId, run.id, phase, data);
  await engine.runs.setStatus(tenantId, run.id, 'completed');
  return run.id;
}

/** Median latency in microseconds of `count` sequential calls. */
async function latency(count, call) {
  const samples = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await call(index);
    samples.push((performance.now() - started) * 1000);
  }
  return median(samples);
}

const micro = (value) => `${value.toFixed(1)} µs`;

/**
 * The floor under one durable SQLite write on this disk, measured now: the median of a bare fdatasync of 4 KiB, and
 * of a one-row transaction on a bare better-sqlite3 connection with the store's pragmas (WAL, synchronous=FULL).
 */
function fsyncFloor(directory) {
  const file = openSync(join(directory, 'fsync-probe'), 'w');
  const block = Buffer.alloc(4096, 1);
  const syncs = [];
  for (let index = 0; index < 200; index++) {
    const started = performance.now();
    writeSync(file, block, 0, block.length, (index % 16) * 4096);
    fdatasyncSync(file);
    syncs.push((performance.now() - started) * 1000);
  }
  closeSync(file);
  const database = new Database(join(directory, 'floor.db'));
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.exec('CREATE TABLE probe (id INTEGER PRIMARY KEY, data TEXT NOT NULL)');
  const insert = database.prepare('INSERT INTO probe (data) VALUES (?)');
  const commits = [];
  for (let index = 0; index < 200; index++) {
    const started = performance.now();
    database.exec('BEGIN IMMEDIATE');
    insert.run(JSON.stringify({ summary: 'Acme sells accounting software to small firms.', index }));
    database.exec('COMMIT');
    commits.push((performance.now() - started) * 1000);
  }
  database.close();
  return { fdatasync: median(syncs), commit: median(commits) };
}

async function measure(name, databaseUrl, target, extraConfig = {}) {
  const engine = await createEngine({ databaseUrl, runs: { sweepIntervalSeconds: 0 }, ...extraConfig });
  await engine.tenants.create({ id: 'bench' });
  const { id } = await engine.runs.create({
    tenantId: 'bench',
    targetPath: '.',
    phases: ['notes', ...Array.from({ length: 31 }, (_, index) => `p${index}`)],
  });
  const small = { summary: 'Acme sells accounting software to small firms.', score: 0.5 };
  await engine.runs.writePhase('bench', id, 'notes', small);
  const writes = name === 'memory' ? 5000 : 300;
  const write = await latency(writes, (index) => engine.runs.writePhase('bench', id, 'notes', { ...small, index }));
  report(
    `${name} phase write latency, 1 writer (median)`,
    micro(write),
    name.startsWith('sqlite') ? '(durable: one fsync per commit, see the floor)' : `target <= ${target} µs`,
  );
  if (extraConfig.events?.recordEngineEvents === false) {
    await engine.close();
    return;
  }
  const read = await latency(20_000, () => engine.runs.getPhase('bench', id, 'notes'));
  report(`${name} phase read latency, newest version (median)`, micro(read), `target <= ${target} µs`);
  const context = await latency(5000, () => engine.runs.get('bench', id));
  report(`${name} run context read (32 phases) (median)`, micro(context));
  const perWriter = name === 'memory' ? 500 : 40;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 31 }, async (_, writer) => {
      for (let index = 0; index < perWriter; index++) await engine.runs.writePhase('bench', id, `p${writer}`, { writer, index });
    }),
  );
  const rate = (31 * perWriter) / ((performance.now() - started) / 1000);
  report(
    `${name} phase writes, 31 agents on their own phases`,
    formatRate(rate),
    `${micro(1e6 / rate)} per write${name === 'sqlite' ? ' (group commit: the agents share fsyncs)' : ''}`,
  );
  await engine.close();
}

const directory = mkdtempSync(join(tmpdir(), 'ctx-bench-runs-'));
try {
  await measure('memory', 'memory:', 20);
  await measure('memory, without the audit events', 'memory:', 20, { events: { recordEngineEvents: false } });
  const floor = fsyncFloor(directory);
  report('disk: fdatasync of 4 KiB (median, this run)', micro(floor.fdatasync));
  report('disk: bare SQLite WAL FULL one-row commit (median)', micro(floor.commit), 'the floor of a durable write');
  await measure('sqlite', `sqlite:${join(directory, 'bench.db')}`, 200);

  const engine = await createEngine({
    databaseUrl: `sqlite:${join(directory, 'transfer.db')}`,
    runs: { sweepIntervalSeconds: 0 },
  });
  await engine.tenants.create({ id: 'source' });
  await engine.tenants.create({ id: 'target' });
  const ids = [];
  for (let index = 0; index < 50; index++) ids.push(await typicalRun(engine, 'source', index));
  const stats = await engine.runs.stats('source');
  const gzip = await engine.runs.exportRun('source', ids[0]);
  const plain = await engine.runs.exportRun('source', ids[0], { compression: false });
  report('typical run: phase data (canonical JSON)', `${(stats.currentDataBytes / ids.length / 1024).toFixed(1)} KiB`);
  report(
    'typical run: export file, plain / gzip',
    `${(plain.length / 1024).toFixed(1)} / ${(gzip.length / 1024).toFixed(1)} KiB`,
    `ratio ${(plain.length / gzip.length).toFixed(1)}x (seed: ~10 KB)`,
  );
  let files = [];
  let started = performance.now();
  for (const id of ids) files.push(await engine.runs.exportRun('source', id));
  report('export throughput (gzip, typical runs)', formatRate(ids.length / ((performance.now() - started) / 1000)));
  started = performance.now();
  for (const file of files) await engine.runs.importRun('target', file);
  report('import throughput (checked, durable, typical runs)', formatRate(files.length / ((performance.now() - started) / 1000)));
  files = [];
  await engine.close();
} finally {
  rmSync(directory, { recursive: true, force: true });
}
