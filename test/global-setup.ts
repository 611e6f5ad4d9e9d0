import { execFileSync } from 'node:child_process';

/**
 * Tests that spawn `bin/ctx.js` (crash test, CLI processes) need dist/: build it when stale. A failing build
 * is reported here and then fails exactly the tests that need it.
 */
export default function setup(): void {
  try {
    execFileSync(process.execPath, ['scripts/ensure-built.mjs'], { stdio: 'inherit' });
  } catch {
    process.stderr.write('test setup: building dist/ failed; tests that spawn bin/ctx.js will fail\n');
  }
}
