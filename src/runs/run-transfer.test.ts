import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine.js';
import { engineBackends } from '../test-support/engines.js';
import { checksumOf } from './run-export.js';

/** A run with history in every kind of field: phases written twice, an error, a current phase, a final status. */
async function populatedRun(engine: Engine): Promise<string> {
  const { id } = await engine.runs.create({
    tenantId: 'acme',
    targetPath: './my-project',
    focusAreas: ['documentation', 'complexity'],
    metadata: { requestedBy: 'ops', nested: { é: 'ü', list: [1, 2.5, null] } },
  });
  const writers = engine.runs.evolution('acme', id);
  await writers.storeOriginalAnalysis({ filesAnalyzed: 10, metrics: { complexity: 3.5, coverage: 75 } });
  await writers.storeExternalResearch({
    bestPractices: ['Use type hints'],
    references: [{ url: 'https://example.com', title: 'Ex' }],
  });
  await writers.storeOriginalAnalysis({ filesAnalyzed: 10, metrics: { complexity: 2.5, coverage: 80 } });
  await engine.runs.updatePhase('acme', id, 'improvement_plan');
  await engine.runs.logError('acme', id, { message: 'retrying the planner', agent: 'planner' });
  await writers.storeImprovementPlan({
    tasks: [{ id: 'task-1', title: 'Add docstrings' }],
    priorities: ['task-1'],
    estimatedImpact: 0.7,
  });
  await engine.runs.setStatus('acme', id, 'completed');
  return id;
}

async function snapshot(engine: Engine, tenantId: string, runId: string) {
  const context = await engine.runs.get(tenantId, runId);
  const histories: Record<string, unknown> = {};
  for (const phase of context.phaseNames) {
    histories[phase] = (await engine.runs.phaseHistory(tenantId, runId, phase)).items.map(
      ({ tenantId: _t, runId: _r, ...rest }) => rest,
    );
  }
  const { tenantId: _tenant, phases, ...run } = context;
  return { run, histories, comparison: await engine.runs.getComparisonData(tenantId, runId) };
}

for (const backend of engineBackends) {
  describe(`run export and import (${backend.name})`, () => {
    let engine: Engine;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ engine, cleanup } = await backend.open());
      await engine.tenants.create({ id: 'acme' });
      await engine.tenants.create({ id: 'copy' });
    });
    afterEach(() => cleanup());

    it('round-trips a run losslessly, gzip-compressed, into another tenant and another engine', async () => {
      const id = await populatedRun(engine);
      const file = await engine.runs.exportRun('acme', id);
      expect([file[0], file[1]]).toEqual([0x1f, 0x8b]);
      const document = JSON.parse(gunzipSync(file).toString('utf8'));
      expect(document).toMatchObject({
        format: 'context-engine/run-export',
        formatVersion: 1,
        checksum: { algorithm: 'sha256' },
      });
      const imported = await engine.runs.importRun('copy', file);
      expect(imported.id).toBe(id);
      expect(await snapshot(engine, 'copy', id)).toEqual(await snapshot(engine, 'acme', id));
      // A second engine (memory) reads the same file to the same run, and exports it to the same content.
      const other = await backend.open();
      try {
        await other.engine.tenants.create({ id: 'acme' });
        await other.engine.runs.importRun('acme', file);
        expect(await snapshot(other.engine, 'acme', id)).toEqual(await snapshot(engine, 'acme', id));
        const again = JSON.parse(gunzipSync(await other.engine.runs.exportRun('acme', id)).toString('utf8'));
        expect({ ...again, exportedAt: 0, checksum: 0 }).toEqual({ ...document, exportedAt: 0, checksum: 0 });
      } finally {
        await other.cleanup();
      }
    });

    it('exports plain JSON without compression and imports it too; imports under a new id on request', async () => {
      const id = await populatedRun(engine);
      const plain = await engine.runs.exportRun('acme', id, { compression: false });
      expect(JSON.parse(plain.toString('utf8')).run.id).toBe(id);
      await expect(engine.runs.importRun('acme', plain)).rejects.toMatchObject({ name: 'ConflictError', code: 'run_exists' });
      const copy = await engine.runs.importRun('acme', plain, { newId: true });
      expect(copy.id).not.toBe(id);
      expect((await snapshot(engine, 'acme', copy.id)).histories).toEqual((await snapshot(engine, 'acme', id)).histories);
    });

    it('refuses corrupted, truncated, tampered and foreign files before writing anything', async () => {
      const id = await populatedRun(engine);
      const file = await engine.runs.exportRun('acme', id);
      const json = gunzipSync(file).toString('utf8');
      const corrupted = Buffer.from(file);
      const middle = Math.floor(file.length / 2);
      corrupted[middle] = (corrupted[middle] ?? 0) ^ 0xff;
      const tamperedDocument = JSON.parse(json);
      tamperedDocument.phaseVersions[0].data.filesAnalyzed = 11;
      const reHashed = structuredClone(tamperedDocument);
      reHashed.checksum.value = checksumOf(reHashed);
      const gappedDocument = JSON.parse(json);
      gappedDocument.phaseVersions = gappedDocument.phaseVersions.filter(
        (version: { phase: string; version: number }) => !(version.phase === 'original_analysis' && version.version === 1),
      );
      gappedDocument.checksum.value = checksumOf(gappedDocument);
      const cases: [string, Buffer, RegExp][] = [
        ['empty', Buffer.alloc(0), /empty/],
        ['truncated gzip', file.subarray(0, file.length - 20), /truncated|corrupted/],
        ['corrupted gzip', corrupted, /corrupted|modified/],
        ['truncated json', gzipSync(json.slice(0, json.length - 10)), /not valid JSON/],
        ['tampered data', gzipSync(JSON.stringify(tamperedDocument)), /checksum/],
        ['tampered data with a recomputed checksum', gzipSync(JSON.stringify(reHashed)), /content hash or size/],
        ['a missing version', gzipSync(JSON.stringify(gappedDocument)), /expected version 1/],
        ['another format', gzipSync('{"format":"context-engine/tenant-export"}'), /not a run export/],
        ['a newer format', gzipSync('{"format":"context-engine/run-export","formatVersion":9}'), /format version 9/],
        ['not gzip, not JSON', Buffer.from('hello'), /not valid JSON/],
      ];
      for (const [name, bytes, message] of cases) {
        const error = await engine.runs.importRun('copy', bytes).then(
          () => undefined,
          (caught: unknown) => caught as { code: string; message: string },
        );
        expect(error, name).toMatchObject({ code: 'invalid_run_export' });
        expect(error?.message, name).toMatch(message);
      }
      expect((await engine.runs.list('copy')).items).toEqual([]);
    });

    it('refuses an export larger than the import limit, compressed or not', async () => {
      const limited = await createEngine({ databaseUrl: 'memory:', runs: { maxImportBytes: 2048 } });
      try {
        await limited.tenants.create({ id: 'acme' });
        const bomb = gzipSync(Buffer.alloc(10_000_000, 0x20));
        await expect(limited.runs.importRun('acme', bomb)).rejects.toMatchObject({
          message: expect.stringMatching(/more than 2048 bytes/),
        });
        await expect(limited.runs.importRun('acme', Buffer.alloc(4096, 0x20))).rejects.toMatchObject({
          code: 'invalid_run_export',
        });
      } finally {
        await limited.close();
      }
    });
  });
}
