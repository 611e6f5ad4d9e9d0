import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/spawn-server.js';

/**
 * The hot tier survives a real shutdown: `ctx serve` receives SIGTERM, saves its checkpoint beside the SQLite file
 * and exits; the next `ctx serve` restores it, so the events are in the hot tier again (counted there by
 * `GET …/context/stats` and resolved as hot hits), not only resolvable from the cold tier.
 */
const EVENTS = 20;
const directory = mkdtempSync(join(tmpdir(), 'ctx-serve-sigterm-'));
const databasePath = join(directory, 'context.db');
const checkpointPath = `${databasePath}.events-checkpoint`;
const running: ChildProcess[] = [];

interface Server {
  base: string;
  stderr: () => string;
  /** SIGTERM, then the exit code once the process has exited. */
  terminate(): Promise<number | null>;
}

async function startServer(): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/ctx.js', 'serve', '--port', String(port), '--database', `sqlite:${databasePath}`], {
    env: { ...process.env, CTX_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000; // a slow machine: starting node, the engine and Fastify can take a while
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      if ((await fetch(`${base}/health`)).ok) {
        return {
          base,
          stderr: () => stderr,
          terminate: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start: ${stderr}`);
}

async function call<T>(base: string, method: 'GET' | 'POST', path: string, body?: object): Promise<{ status: number; json: T }> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as T };
}

interface Stats {
  hot: { events: number };
  cold: { events: number };
  resolutions: { hot: number; cold: number; missing: number };
}

const stats = async (base: string) => (await call<Stats>(base, 'GET', '/v1/tenants/acme/context/stats')).json;

async function resolveAll(base: string, refs: string[]): Promise<Record<string, unknown>> {
  const answer = await call<{ contexts: Record<string, unknown> }>(base, 'POST', '/v1/tenants/acme/context/resolve_batch', {
    refs,
  });
  expect(answer.status).toBe(200);
  return answer.json.contexts;
}

afterAll(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

describe('ctx serve on SIGTERM', () => {
  it('checkpoints the hot tier, and the next start restores it into the hot tier', async () => {
    const first = await startServer();
    expect((await call(first.base, 'POST', '/v1/tenants', { id: 'acme' })).status).toBe(201);
    const emitted = new Map<string, unknown>();
    for (let index = 0; index < EVENTS; index++) {
      const answer = await call<{ ref: string; context: unknown }>(first.base, 'POST', '/v1/tenants/acme/events', {
        event: 'agent:status',
        data: { index },
        context: { agentId: 'agent_sigterm', sessionId: 'session_sigterm' },
      });
      expect(answer.status).toBe(201);
      emitted.set(answer.json.ref, answer.json.context);
    }
    const before = await stats(first.base);
    expect(before.hot.events).toBeGreaterThanOrEqual(EVENTS); // + the engine's own tenant.created
    expect(existsSync(checkpointPath)).toBe(false);
    expect(await first.terminate()).toBe(0);
    expect(existsSync(checkpointPath)).toBe(true);

    const second = await startServer();
    const restored = await stats(second.base);
    expect(restored.hot.events).toBe(before.hot.events);
    expect(restored.cold.events).toBe(before.cold.events);
    const refs = [...emitted.keys()];
    expect(await resolveAll(second.base, refs)).toEqual(Object.fromEntries(emitted));
    // every answer came from the hot tier: none had to be read from the cold one
    expect((await stats(second.base)).resolutions).toEqual({ hot: EVENTS, cold: 0, missing: 0 });
    expect(await second.terminate()).toBe(0);
    expect(second.stderr()).not.toContain('CTX_EVENT_CHECKPOINT');

    // the control: without the checkpoint files the same restart starts with an empty hot tier
    rmSync(checkpointPath);
    rmSync(`${checkpointPath}.prev`, { force: true });
    const third = await startServer();
    expect((await stats(third.base)).hot.events).toBe(0);
    expect(await resolveAll(third.base, refs)).toEqual(Object.fromEntries(emitted));
    expect((await stats(third.base)).resolutions).toEqual({ hot: 0, cold: EVENTS, missing: 0 });
    expect(await third.terminate()).toBe(0);
  }, 240_000);
});
