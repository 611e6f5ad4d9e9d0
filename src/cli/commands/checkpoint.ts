import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { NotFoundError } from '../../core/errors.js';
import type { Engine } from '../../engine.js';
import { checkpointPathOf } from '../../events/engine-events-wiring.js';
import type { HotEntry } from '../../events/hot-tier/hot-tier.js';
import { UsageError } from '../exit-codes.js';
import type { CliRuntime } from '../runtime.js';
import { listAllTenants } from './tenants.js';

interface PathOption {
  path?: string | undefined;
}

interface RecoverOptions {
  tenant?: string | undefined;
  reemit: boolean;
}

function pathOf(engine: Engine, options: PathOption): string {
  const path = options.path ?? checkpointPathOf(engine.config);
  if (path === undefined) {
    throw new UsageError(
      'Name the checkpoint file: --path <file> (there is no default beside a memory: or PostgreSQL database).',
    );
  }
  return path;
}

/** What the hot tier would hold: every tenant's events of the last `hotMaxAgeMs`, from the cold tier, oldest first. */
async function* recentEntries(engine: Engine): AsyncGenerator<HotEntry> {
  const since = new Date(Date.now() - engine.config.events.hotMaxAgeMs).toISOString();
  for (const tenant of await listAllTenants(engine)) {
    let cursor: string | undefined;
    do {
      const page = await engine.events.query(tenant.id, { since, cursor, limit: 500 });
      for (const { tenantId, ref, event, context } of page.items) yield { tenantId, ref, event, context };
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
}

/** `ctx checkpoint save|restore` and `ctx recover <ref>` (seed 004). */
export function registerCheckpoint(program: Command, runtime: CliRuntime): void {
  const checkpoint = program.command('checkpoint').description('hot-tier checkpoints of event contexts');
  checkpoint
    .command('save')
    .description('write the recent event contexts (the hot tier’s window) to a checkpoint file, atomically')
    .option('--path <file>', 'checkpoint file (default <database>.events-checkpoint)')
    .action(async (options: PathOption, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const path = pathOf(engine, options);
        const entries: HotEntry[] = [];
        for await (const entry of recentEntries(engine)) entries.push(entry);
        const result = await engine.events.saveCheckpoint(path, entries);
        output.result(result, () => `Saved ${result.entries} event contexts to ${result.path}`);
      });
    });
  checkpoint
    .command('restore')
    .description('load a checkpoint file into the database (idempotent); a corrupted file is refused (exit 5)')
    .option('--path <file>', 'checkpoint file (default <database>.events-checkpoint)')
    .action(async (options: PathOption, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const path = pathOf(engine, options);
        if (!existsSync(path)) {
          throw new NotFoundError(`No checkpoint file at ${path}.`, { code: 'checkpoint_not_found', details: { path } });
        }
        const result = await engine.events.restoreCheckpoint(path, { strict: true });
        output.result(result, () => `Restored ${result.entries + result.skipped} event contexts from ${result.from}`);
      });
    });

  program
    .command('recover <ref>')
    .description('print an orchestration state snapshot and re-emit it as <kind>:recovered')
    .option('--tenant <id>', 'the tenant (default CTX_TENANT)')
    .option('--no-reemit', 'only print the state')
    .action(async (ref: string, options: RecoverOptions, command: Command) => {
      const tenantId = options.tenant ?? runtime.io.env.CTX_TENANT;
      if (tenantId === undefined || tenantId === '') throw new UsageError('Name the tenant: --tenant <id> (or set CTX_TENANT).');
      await runtime.withEngine(command, async (engine, output) => {
        const recovered = await engine.events.recover(tenantId, ref, { reemit: options.reemit });
        output.result(recovered, () => JSON.stringify(recovered.state, null, 2));
      });
    });
}
