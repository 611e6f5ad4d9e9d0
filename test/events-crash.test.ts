import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/spawn-server.js';

/**
 * Crash safety of event contexts: a real server emits events acknowledged as durable (`POST …/events`, default
 * durability) from several writers and is killed with SIGKILL at random points; after a restart every acknowledged
 * reference resolves to exactly the context it was acknowledged with, and SQLite's integrity check passes.
 */
const ROUNDS = 8;
const WRITERS = 8;
const directory = mkdtempSync(join(tmpdir(), 'ctx-events-crash-'));
const databasePath = join(directory, 'context.db');

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

async function emit(base: string, body: object): Promise<{ ref: string; context: unknown } | undefined> {
  try {
    const response = await fetch(`${base}/v1/tenants/crash/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) return undefined;
    return (await response.json()) as { ref: string; context: unknown };
  } catch {
    return undefined; // the connection died with the server: not acknowledged
  }
}

afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('SIGKILL during an emit loop', () => {
  it(`keeps every event acknowledged as durable over ${ROUNDS} crash rounds`, async () => {
    const acknowledged = new Map<string, unknown>();
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
      // Everything acknowledged before a crash resolves now, exactly as acknowledged.
      const refs = [...acknowledged.keys()];
      for (let start = 0; start < refs.length; start += 1000) {
        const response = await fetch(`${base}/v1/tenants/crash/context/resolve_batch`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refs: refs.slice(start, start + 1000) }),
        });
        const { contexts } = (await response.json()) as { contexts: Record<string, unknown> };
        for (const ref of refs.slice(start, start + 1000)) expect(contexts[ref], ref).toEqual(acknowledged.get(ref));
      }
      let stop = false;
      const writers = Array.from({ length: WRITERS }, async (_, writer) => {
        while (!stop) {
          const answer = await emit(base, {
            event: 'agent:status',
            data: { round, writer, counter: counter++ },
            context: { agentId: `agent_${writer}`, sessionId: `round_${round}` },
          });
          if (answer === undefined) return;
          acknowledged.set(answer.ref, answer.context);
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 400));
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
