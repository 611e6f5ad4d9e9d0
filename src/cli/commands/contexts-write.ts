import { type Command, Option } from 'commander';
import { UPDATE_SOURCES, type UpdateSource } from '../../core/update-source.js';
import { confidence, positiveInteger, readJsonArgument } from '../parse-arguments.js';
import type { CliRuntime } from '../runtime.js';
import { reportWrite } from './write-result.js';

interface PutOptions {
  source?: UpdateSource | undefined;
  confidence?: number | undefined;
  author?: string | undefined;
  comment?: string | undefined;
  ifMatch?: number | undefined;
}

export function registerContextWrites(program: Command, runtime: CliRuntime): void {
  program
    .command('put <tenant> <key> <value>')
    .description('write a context document: <value> is JSON, @file or @- (stdin); exits 10 when it awaits review')
    .addOption(new Option('--source <source>', 'update pathway (default api)').choices(UPDATE_SOURCES))
    .option('--confidence <0..1>', 'confidence of the proposer; below the policy minimum it needs review', confidence)
    .option('--author <name>', 'who writes (default anonymous)')
    .option('--comment <text>', 'why')
    .option('--if-match <version>', 'only if the current version is this one (else exit 4)', positiveInteger)
    .action(async (tenantId: string, key: string, raw: string, options: PutOptions, command: Command) => {
      const value = await readJsonArgument(raw, runtime.io.stdin);
      await runtime.withEngine(command, async (engine, output) => {
        const result = await engine.contexts.put(tenantId, key, value, {
          source: options.source,
          confidence: options.confidence,
          author: options.author,
          comment: options.comment,
          expectedVersion: options.ifMatch,
        });
        reportWrite(runtime, output, tenantId, key, result);
      });
    });

  program
    .command('rollback')
    .description('make an old version current again (as a new version)')
    .argument('<tenant>')
    .argument('<key>')
    .argument('<version>', 'the version to restore', positiveInteger)
    .option('--author <name>', 'who rolls back (default anonymous)')
    .action(
      async (tenantId: string, key: string, toVersion: number, options: { author?: string | undefined }, command: Command) => {
        await runtime.withEngine(command, async (engine, output) => {
          const result = await engine.contexts.rollback(tenantId, key, toVersion, { author: options.author });
          reportWrite(runtime, output, tenantId, key, result);
        });
      },
    );
}
