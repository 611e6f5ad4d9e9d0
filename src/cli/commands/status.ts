import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';

export function registerStatus(program: Command, runtime: CliRuntime): void {
  program
    .command('status <tenant>')
    .description("a tenant's documents, versions, pending updates and updates by source")
    .action(async (tenantId: string, _options: unknown, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const stats = await engine.contexts.status(tenantId);
        const { documents, versions, pendingUpdates, lastUpdateAt, updatesBySource } = stats;
        output.result({ documents, versions, pendingUpdates, lastUpdateAt, updatesBySource }, () => {
          const bySource = Object.entries(stats.updatesBySource)
            .sort(([left], [right]) => left.localeCompare(right))
            .map(([source, count]) => `${source} ${count}`)
            .join(', ');
          return [
            `tenant       ${tenantId}`,
            `documents    ${stats.documents}`,
            `versions     ${stats.versions}`,
            `pending      ${stats.pendingUpdates}`,
            `last update  ${stats.lastUpdateAt ?? '-'}`,
            `by source    ${bySource || '-'}`,
          ].join('\n');
        });
      });
    });
}
