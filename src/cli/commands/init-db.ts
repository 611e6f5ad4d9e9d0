import type { Command } from 'commander';
import { migrateSqlStore } from '../../store/sql/open-sql-store.js';
import type { CliRuntime } from '../runtime.js';

/** The database URL as safe to print: a password in a postgres:// URL is replaced. */
function describeDatabase(url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

export function registerInitDb(program: Command, runtime: CliRuntime): void {
  program
    .command('init-db')
    .description('create the database when missing and apply pending migrations (SQLite or PostgreSQL)')
    .action(async (_options: unknown, command: Command) => {
      const config = runtime.config(command);
      const output = runtime.output(command);
      const url = config.databaseUrl;
      const database = describeDatabase(url);
      if (url === 'memory:') {
        output.result(
          { database, backend: 'memory', applied: [] },
          () => 'memory: nothing to initialise (the memory store keeps nothing)',
        );
        return;
      }
      const applied = await migrateSqlStore(url);
      const backend = url.startsWith('sqlite:') ? 'sqlite' : 'postgres';
      output.result({ database, backend, applied }, () =>
        applied.length === 0
          ? `${database}: up to date, no migration pending`
          : `${database}: applied ${applied.length} migration(s): ${applied.join(', ')}`,
      );
    });
}
