import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine } from '../engine.js';

/** A backend the engine-level suites run on: memory, and a real SQLite file in a temp directory. */
export interface EngineBackend {
  name: string;
  open(): Promise<{ engine: Engine; cleanup(): Promise<void> }>;
}

export const engineBackends: EngineBackend[] = [
  {
    name: 'memory',
    async open() {
      const engine = await createEngine({ databaseUrl: 'memory:' });
      return { engine, cleanup: () => engine.close() };
    },
  },
  {
    name: 'sqlite',
    async open() {
      const directory = mkdtempSync(join(tmpdir(), 'ctx-engine-'));
      const engine = await createEngine({ databaseUrl: `sqlite:${join(directory, 'context.db')}` });
      return {
        engine,
        async cleanup() {
          await engine.close();
          rmSync(directory, { recursive: true, force: true });
        },
      };
    },
  },
];
