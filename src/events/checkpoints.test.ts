import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine.js';
import { readCheckpoint } from './checkpoint-file.js';

let directory: string;
let database: string;
const checkpointPath = () => `${database}.events-checkpoint`;
const open = () => createEngine({ databaseUrl: `sqlite:${database}`, events: { autoCheckpoint: true } });

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ctx-checkpoint-'));
  database = join(directory, 'context.db');
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function emitSome(engine: Engine, count: number): Promise<string[]> {
  const refs: string[] = [];
  for (let index = 0; index < count; index++) {
    refs.push((await engine.events.emit('agent.status', { index }, { tenantId: 'acme', agentId: 'a', custom: { index } })).ref);
  }
  return refs;
}

describe('hot-tier checkpoints', () => {
  it('saves the hot tier on close and restores it on start, answering from the hot tier again', async () => {
    const first = await open();
    await first.tenants.create({ id: 'acme' });
    const refs = await emitSome(first, 50);
    const contexts = await first.events.resolveBatch('acme', refs);
    await first.close();
    expect(readCheckpoint(checkpointPath()).length).toBeGreaterThanOrEqual(50);

    const second = await open();
    try {
      for (const ref of refs) expect(second.events.hot.get('acme', ref)?.context).toEqual(contexts[ref]);
      expect(await second.events.resolveBatch('acme', refs)).toEqual(contexts);
      expect((await second.events.stats('acme')).resolutions).toMatchObject({ hot: refs.length, cold: 0 });
    } finally {
      await second.close();
    }
  });

  it('rejects a corrupted or torn checkpoint and falls back to the previous one', async () => {
    const first = await open();
    await first.tenants.create({ id: 'acme' });
    const early = await emitSome(first, 5);
    await first.close(); // checkpoint 1
    const second = await open();
    const late = await emitSome(second, 5);
    await second.close(); // checkpoint 2; checkpoint 1 is now .prev

    const text = readFileSync(checkpointPath(), 'utf8');
    writeFileSync(checkpointPath(), text.replace('agent.status', 'agent.statuX'));
    expect(() => readCheckpoint(checkpointPath())).toThrow(/checksum does not match/);
    const warnings: string[] = [];
    const listener = (warning: Error) => warnings.push(warning.message);
    process.on('warning', listener);
    const third = await open();
    try {
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.some((warning) => warning.includes('checksum does not match'))).toBe(true);
      for (const ref of early) expect(third.events.hot.get('acme', ref)).toBeDefined();
      for (const ref of late) expect(third.events.hot.get('acme', ref)).toBeUndefined();
      // nothing is lost: what the damaged checkpoint held is in the cold tier
      for (const ref of late) expect((await third.events.resolve('acme', ref)).eventId).toMatch(/^evt_/);
    } finally {
      process.off('warning', listener);
      await third.close();
    }

    truncateSync(checkpointPath(), 40);
    expect(() => readCheckpoint(checkpointPath())).toThrow(/truncated|footer/);
    const fourth = await open();
    await expect(fourth.events.restoreCheckpoint(checkpointPath(), { strict: true })).rejects.toMatchObject({
      code: 'checkpoint_corrupted',
    });
    await fourth.close();
  });
});
