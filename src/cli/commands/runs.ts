import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { NotFoundError } from '../../core/errors.js';
import { RUN_STATUSES, type RunStatus } from '../../core/run.js';
import { isoTimestamp, positiveInteger, readJsonArgument } from '../parse-arguments.js';
import type { CliRuntime } from '../runtime.js';
import { describeRun } from './run-lines.js';
import { registerRunPhaseCommands } from './runs-phases.js';

const list = (raw: string) =>
  raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** `ctx runs …`: shared run context for multi-agent pipelines (seed 001), on the configured database. */
export function registerRuns(program: Command, runtime: CliRuntime): void {
  const runs = program.command('runs').description('multi-agent pipeline runs: phases, comparison, export/import');

  runs
    .command('create <tenant>')
    .description('create a run (default template: the five evolution phases); prints its id')
    .requiredOption('--target <path>', 'the project the pipeline works on')
    .option('--focus <areas>', 'comma-separated focus areas', list)
    .option('--template <name>', 'phase template (default evolution)')
    .option('--phases <names>', 'comma-separated ad-hoc phases (or a subset of the template)', list)
    .option('--metadata <json>', 'a JSON object (or @file) kept with the run')
    .action(async (tenantId: string, options: Record<string, unknown>, command: Command) => {
      const metadata =
        options.metadata === undefined ? undefined : await readJsonArgument(options.metadata as string, runtime.io.stdin);
      await runtime.withEngine(command, async (engine, output) => {
        const run = await engine.runs.create({
          tenantId,
          targetPath: options.target as string,
          focusAreas: (options.focus as string[] | undefined) ?? [],
          template: options.template as string | undefined,
          phases: options.phases as string[] | undefined,
          metadata: metadata as Record<string, never> | undefined,
        });
        output.result(run, () => run.id);
      });
    });

  runs
    .command('list <tenant>')
    .description("a tenant's runs, oldest first")
    .addOption(new Option('--status <status>', 'only runs with this status').choices(RUN_STATUSES))
    .option('--since <iso>', 'only runs created at or after this instant', isoTimestamp)
    .option('--limit <n>', 'at most this many', positiveInteger)
    .option('--cursor <cursor>', 'the nextCursor of a previous page')
    .action(
      async (
        tenantId: string,
        options: { status?: RunStatus; since?: string; limit?: number; cursor?: string },
        command: Command,
      ) => {
        await runtime.withEngine(command, async (engine, output) => {
          const page = await engine.runs.list(tenantId, options);
          output.result(page, () => {
            const lines = page.items.map(describeRun);
            if (page.nextCursor !== undefined) lines.push(`more: --cursor ${page.nextCursor}`);
            return lines.length === 0 ? 'no runs' : lines.join('\n');
          });
        });
      },
    );

  runs
    .command('compare <tenant> <runId>')
    .description('three-way comparison: before, plan, after, implementation and the metric delta')
    .action(async (tenantId: string, runId: string, _options: unknown, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const comparison = await engine.runs.getComparisonData(tenantId, runId);
        output.result(comparison, () => {
          const source = (side: keyof typeof comparison.sources) => {
            const found = comparison.sources[side];
            return found === null ? '-' : `${found.phase} v${found.version}`;
          };
          const delta = Object.entries(comparison.delta).map(([name, value]) => `  ${name}: ${value > 0 ? '+' : ''}${value}`);
          return [
            `before          ${source('before')}`,
            `plan            ${source('plan')}`,
            `implementation  ${source('implementation')}`,
            `after           ${source('after')}`,
            `delta${delta.length === 0 ? '           -' : ''}`,
            ...delta,
          ].join('\n');
        });
      });
    });

  runs
    .command('export <tenant> <runId>')
    .description('write a run as an export file (gzip JSON with a sha256 checksum); stdout unless -o')
    .option('-o, --output <file>', 'write to this file (atomically)')
    .option('--no-compression', 'plain JSON instead of gzip')
    .action(async (tenantId: string, runId: string, options: { output?: string; compression: boolean }, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const file = await engine.runs.exportRun(tenantId, runId, { compression: options.compression });
        if (options.output === undefined) {
          runtime.io.stdout.write(file);
          return;
        }
        const partial = `${options.output}.partial`;
        try {
          await writeFile(partial, file, { flush: true });
          await rename(partial, options.output);
        } catch (error) {
          await rm(partial, { force: true });
          throw error;
        }
        output.result(
          { runId, file: options.output, bytes: file.length },
          () => `Exported ${runId} to ${options.output} (${file.length} bytes)`,
        );
      });
    });

  runs
    .command('import <tenant> <file>')
    .description('import a run export; the whole file is checked before anything is written')
    .option('--new-id', 'give the run a new id (to import it beside its original)')
    .action(async (tenantId: string, path: string, options: { newId?: boolean }, command: Command) => {
      let file: Buffer;
      try {
        file = await readFile(path);
      } catch (error) {
        throw new NotFoundError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, {
          code: 'file_not_found',
        });
      }
      await runtime.withEngine(command, async (engine, output) => {
        const run = await engine.runs.importRun(tenantId, file, { newId: options.newId === true });
        output.result(run, () => `Imported ${run.id} into ${tenantId}`);
      });
    });

  runs
    .command('stats <tenant>')
    .description("counts and sizes of a tenant's runs, and the limits in force")
    .action(async (tenantId: string, _options: unknown, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const stats = await engine.runs.stats(tenantId);
        output.result(stats, () =>
          [
            `runs            ${stats.runs} (${RUN_STATUSES.map((status) => `${status} ${stats.byStatus[status]}`).join(', ')})`,
            `phase versions  ${stats.phaseVersions}`,
            `data            ${stats.currentDataBytes} bytes current, ${stats.dataBytes} bytes with history`,
            `largest run     ${stats.largestRun === null ? '-' : `${stats.largestRun.runId} (${stats.largestRun.dataBytes} bytes)`}`,
            `limits          ${stats.limits.maxRunsPerTenant} runs, TTL ${stats.limits.ttlSeconds} s, compression ${stats.limits.compression}`,
          ].join('\n'),
        );
      });
    });

  runs
    .command('purge')
    .description('remove finished runs whose TTL has passed (running runs are never removed)')
    .option('--tenant <id>', 'only this tenant')
    .action(async (options: { tenant?: string }, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const removed = await engine.runs.purgeExpired(options.tenant);
        output.result({ removed }, () => `Removed ${removed.length} expired run${removed.length === 1 ? '' : 's'}`);
      });
    });

  runs
    .command('delete <tenant> <runId>')
    .description('delete a finished run (exit 4 while it is running)')
    .action(async (tenantId: string, runId: string, _options: unknown, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        await engine.runs.delete(tenantId, runId);
        output.result({ deleted: runId }, () => `Deleted ${runId}`);
      });
    });

  registerRunPhaseCommands(runs, runtime);
}
