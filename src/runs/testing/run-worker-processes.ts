import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const WORKER = fileURLToPath(new URL('./phase-writer-worker.mjs', import.meta.url));
const BUILT = fileURLToPath(new URL('../../../dist/runs/run-service.js', import.meta.url));

export interface WorkerTask {
  databaseUrl: string;
  tenantId: string;
  runId: string;
  name: string;
  count: number;
  writers: number;
  sharedPhase: string;
  ownPhase: string;
}

/** Runs phase writers in separate Node processes (on the built dist/, which the test setup builds) and waits for all. */
export async function runWorkerProcesses(tasks: WorkerTask[]): Promise<{ name: string; merges: number; replacements: number }[]> {
  if (!existsSync(BUILT))
    throw new Error('dist/ has no runs module: run `npm run build` (the test setup builds it when it can).');
  const results = await Promise.all(
    tasks.map((task) => execFileAsync(process.execPath, [WORKER, JSON.stringify(task)], { timeout: 120_000 })),
  );
  return results.map((result) => JSON.parse(result.stdout.trim()));
}
