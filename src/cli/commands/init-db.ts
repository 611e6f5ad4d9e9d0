import type { Command } from 'commander';
import { createEngine } from '../../engine.js';
import { migrateSqliteStore } from '../../store/sql/sqlite/create-sqlite-store.js';
import type { CliRuntime } from '../runtime.js';

export function registerInitDb(program: Command, runtime: CliRuntime): void {
  program
    .command('init-db')
    .description('create the database when missing and apply pending migrations')
    .action(async (_options: unknown, command: Command) => {
      const config = runtime.config(command);
      const output = runtime.output(command);
      const url = config.databaseUrl;
      if (url.startsWith('sqlite:')) {
        const path = url.slice('sqlite:'.length);
        const applied = await migrateSqliteStore({ path });
        output.result({ database: url, backend: 'sqlite', applied }, () =>
          applied.length === 0
            ? `${path}: up to date, no migration pending`
            : `${path}: applied ${applied.length} migration(s): ${applied.join(', ')}`,
        );
        return;
      }
      // Any other backend migrates when its store opens.
      const engine = await createEngine(config);
      try {
        const health = await engine.store.health();
        output.result({ database: url, backend: engine.store.backend, applied: [] }, () =>
          engine.store.backend === 'memory'
            ? 'memory: nothing to initialise (the memory store keeps nothing after the process ends)'
            : `${url}: ${health.ok ? 'ready' : `not healthy: ${health.detail ?? 'unknown'}`}`,
        );
      } finally {
        await engine.close();
      }
    });
}
