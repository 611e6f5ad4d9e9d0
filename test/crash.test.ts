import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Crash safety: a real server process takes acknowledged writes and is killed with SIGKILL at random points;
 * after a restart every acknowledged write is there and SQLite's integrity check passes.
 */
const ROUNDS = 20;
const WRITERS = 8;
const directory = mkdtempSync(join(tmpdir(), 'ctx-crash-'));
const databasePath = join(directory, 'context.db');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function startServer(): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/ctx.js', 'serve', '--port', String(port), '--database', `sqlite:${databasePath}`], {
    env: { ...process.env, CTX_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      if ((await fetch(`${base}/health`)).ok) return { child, base };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${stderr}`);
}

async function put(base: string, key: string, value: unknown): Promise<{ version: number } | undefined> {
  try {
    const response = await fetch(`${base}/v1/tenants/crash/contexts/${key}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value }),
    });
    if (response.status !== 201 && response.status !== 200) return undefined;
    return (await response.json()) as { version: number };
  } catch {
    return undefined; // the connection died with the server: not acknowledged
  }
}

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('SIGKILL during writes', () => {
  it(`keeps every acknowledged write over ${ROUNDS} crash rounds`, async () => {
    const acknowledged = new Map<string, { version: number; value: unknown }>();
    let counter = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { child, base } = await startServer();
      if (round === 0) {
        const created = await fetch(`${base}/v1/tenants`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'crash' }),
        });
        expect(created.status).toBe(201);
      }
      // Everything acknowledged before this crash must be readable now.
      for (const [key, expected] of acknowledged) {
        const response = await fetch(`${base}/v1/tenants/crash/contexts/${key}`);
        expect(response.status, key).toBe(200);
        const body = (await response.json()) as { version: number; value: unknown };
        expect(body.version).toBeGreaterThanOrEqual(expected.version);
        if (body.version === expected.version) expect(body.value).toEqual(expected.value);
      }
      let stop = false;
      const writers = Array.from({ length: WRITERS }, async (_, writer) => {
        while (!stop) {
          const key = `w${writer}/k${counter++ % 50}`;
          const value = { round, writer, counter };
          const answer = await put(base, key, value);
          if (answer === undefined) return;
          const previous = acknowledged.get(key);
          if (!previous || previous.version < answer.version) acknowledged.set(key, { version: answer.version, value });
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 400));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      stop = true;
      await Promise.all(writers);
      const database = new Database(databasePath);
      expect(database.pragma('integrity_check', { simple: true })).toBe('ok');
      database.close();
    }
    expect(acknowledged.size).toBeGreaterThan(50);
  }, 180_000);
});
