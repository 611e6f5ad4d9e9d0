import type { Command } from 'commander';
import { exportTenant } from '../../transfer/export-tenant.js';
import { exportTenantToFile, importTenantFile } from '../../transfer/transfer-files.js';
import { createProgressReporter } from '../progress.js';
import type { CliRuntime } from '../runtime.js';

export function registerTransfer(program: Command, runtime: CliRuntime): void {
  program
    .command('export <tenant>')
    .description('write every version and update of a tenant as JSON Lines (to stdout unless -o)')
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .action(async (tenantId: string, options: { output?: string | undefined }, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const progress = createProgressReporter(runtime.io, output.json);
        try {
          if (options.output === undefined) {
            await exportTenant(engine, tenantId, runtime.io.stdout, (step) => progress.update(step));
            return;
          }
          const summary = await exportTenantToFile(engine, tenantId, options.output, (step) => progress.update(step));
          progress.stop();
          output.result(
            { ...summary, file: options.output },
            () =>
              `Exported ${tenantId} to ${options.output}: ${summary.versions} versions, ${summary.updates} updates (sha256 ${summary.sha256})`,
          );
        } finally {
          progress.stop();
        }
      });
    });

  program
    .command('import <file>')
    .description('import a tenant export; the whole file is checked before anything is written')
    .option('--tenant <id>', 'import under this tenant id instead of the exported one')
    .action(async (file: string, options: { tenant?: string | undefined }, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const progress = createProgressReporter(runtime.io, output.json);
        try {
          const summary = await importTenantFile(engine, file, {
            tenantId: options.tenant,
            onProgress: (step) => progress.update(step),
          });
          progress.stop();
          output.result(summary, () => {
            const renamed = summary.tenantId === summary.sourceTenantId ? '' : ` (exported as ${summary.sourceTenantId})`;
            return `Imported ${summary.tenantId}${renamed}: ${summary.versions} versions, ${summary.updates} updates`;
          });
        } finally {
          progress.stop();
        }
      });
    });
}
