import { type Command, Option } from 'commander';
import { RUN_STATUSES, type RunStatus } from '../../core/run.js';
import { positiveInteger, readJsonArgument } from '../parse-arguments.js';
import type { CliRuntime } from '../runtime.js';
import { describeRun } from './run-lines.js';

interface PhaseOptions {
  merge?: boolean;
  author?: string;
  ifVersion?: number;
  version?: number;
  history?: boolean;
}

/** `ctx runs show|phase|set-phase|status|log-error`. */
export function registerRunPhaseCommands(runs: Command, runtime: CliRuntime): void {
  runs
    .command('show <tenant> <runId>')
    .description('a run with the newest version of each phase')
    .action(async (tenantId: string, runId: string, _options: unknown, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const context = await engine.runs.get(tenantId, runId);
        output.result(context, () => {
          const phases = context.phaseNames.map((name) => {
            const version = context.phases[name];
            const marker = context.currentPhase === name ? '*' : ' ';
            return version === null || version === undefined
              ? `${marker} ${name}  -`
              : `${marker} ${name}  v${version.version} by ${version.author} at ${version.createdAt} (${version.sizeBytes} bytes)`;
          });
          const errors = context.errorLog.map((entry) => `  ${entry.at} ${entry.agent ?? ''} ${entry.message}`);
          return [describeRun(context), ...phases, ...(errors.length > 0 ? ['errors:', ...errors] : [])].join('\n');
        });
      });
    });

  runs
    .command('phase <tenant> <runId> <phase> [data]')
    .description('read a phase, or write it: [data] is JSON, @file or @- (stdin); --merge applies it as a merge patch')
    .option('--merge', 'merge [data] into the newest version (RFC 7386) instead of replacing it')
    .option('--author <name>', 'who writes (default anonymous)')
    .option('--if-version <n>', 'write only if the newest version is this one (else exit 4)', positiveInteger)
    .option('--version <n>', 'read this version', positiveInteger)
    .option('--history', 'list every version')
    .action(
      async (
        tenantId: string,
        runId: string,
        phase: string,
        raw: string | undefined,
        options: PhaseOptions,
        command: Command,
      ) => {
        const data = raw === undefined ? undefined : await readJsonArgument(raw, runtime.io.stdin);
        await runtime.withEngine(command, async (engine, output) => {
          if (data === undefined && options.history === true) {
            const page = await engine.runs.phaseHistory(tenantId, runId, phase, { limit: 500 });
            output.result(page, () =>
              page.items
                .map((version) => `v${version.version}  ${version.createdAt}  ${version.author}  ${version.sizeBytes} bytes`)
                .join('\n'),
            );
            return;
          }
          if (data === undefined) {
            const version = await engine.runs.getPhase(tenantId, runId, phase, { version: options.version });
            output.result(version, () => JSON.stringify(version.data, null, 2));
            return;
          }
          const writeOptions = { author: options.author, expectedVersion: options.ifVersion };
          const result =
            options.merge === true
              ? await engine.runs.patchPhase(tenantId, runId, phase, data, writeOptions)
              : await engine.runs.writePhase(tenantId, runId, phase, data, writeOptions);
          const status = result.created ? 'created' : 'unchanged';
          output.result({ ...result.version, status }, () => `${phase} v${result.version.version} (${status})`);
        });
      },
    );

  runs
    .command('set-phase <tenant> <runId> <phase>')
    .description('set the phase the run is in')
    .action(async (tenantId: string, runId: string, phase: string, _options: unknown, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const run = await engine.runs.updatePhase(tenantId, runId, phase);
        output.result(run, () => describeRun(run));
      });
    });

  runs
    .command('status <tenant> <runId>')
    .description('finish a run: completed, failed or cancelled')
    .addArgument(runs.createArgument('<status>', 'the new status').choices(RUN_STATUSES))
    .action(async (tenantId: string, runId: string, status: RunStatus, _options: unknown, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const run = await engine.runs.setStatus(tenantId, runId, status);
        output.result(run, () => describeRun(run));
      });
    });

  runs
    .command('log-error <tenant> <runId> <message>')
    .description("append to the run's error log")
    .option('--phase <name>', 'the phase it happened in')
    .addOption(new Option('--agent <name>', 'the agent that failed'))
    .action(
      async (tenantId: string, runId: string, message: string, options: { phase?: string; agent?: string }, command: Command) => {
        await runtime.withEngine(command, async (engine, output) => {
          const run = await engine.runs.logError(tenantId, runId, { message, ...options });
          output.result(run, () => `${run.errorLog.length} error(s) logged on ${run.id}`);
        });
      },
    );
}
