import type { Command } from 'commander';
import { positiveInteger } from '../parse-arguments.js';
import type { CliRuntime } from '../runtime.js';

interface AssembleOptions {
  query: string;
  user?: string | undefined;
  session?: string | undefined;
  milestone?: string | undefined;
  budget?: number | undefined;
  model?: string | undefined;
  document?: string[] | undefined;
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function registerAssemble(program: Command, runtime: CliRuntime): void {
  program
    .command('assemble <tenant>')
    .description('assemble session, journey, knowledge and documents under a token budget; prints the text and its manifest')
    .requiredOption('--query <text>', 'what the model is asked')
    .option('--user <id>', 'the user whose journey is included')
    .option('--session <id>', 'the session whose recent messages are included')
    .option('--milestone <id>', "the user's current milestone (default: the first available one)")
    .option('--budget <tokens>', 'token budget (default 4000)', positiveInteger)
    .option('--model <name>', 'target model: picks the tokenizer (default o200k_base)')
    .option('--document <key>', 'a context document included first (repeatable)', collect)
    .action(async (tenantId: string, options: AssembleOptions, command: Command) => {
      await runtime.withEngine(command, async (engine, output) => {
        const result = await engine.assembler.assemble(tenantId, {
          query: options.query,
          ...(options.user === undefined ? {} : { userId: options.user }),
          ...(options.session === undefined ? {} : { sessionId: options.session }),
          ...(options.milestone === undefined ? {} : { milestone: options.milestone }),
          ...(options.budget === undefined ? {} : { budget: options.budget }),
          ...(options.model === undefined ? {} : { model: options.model }),
          documents: options.document ?? [],
        });
        output.result(result, () => {
          const { tokens } = result;
          const table = output.table(
            result.manifest.map((entry) => ({
              layer: entry.layer,
              id: entry.id,
              version: entry.version,
              tokens: entry.tokens,
              score: entry.score,
              recency: entry.recencyWeight,
              included: entry.included ? 'yes' : 'no',
              reason: entry.reason,
            })),
            ['layer', 'id', 'version', 'tokens', 'score', 'recency', 'included', 'reason'],
            'No candidate items.',
          );
          return [
            result.text === '' ? '(empty: nothing fits or nothing matches)' : result.text.trimEnd(),
            '',
            `assembly ${result.assemblyId}${result.cached ? ' (cached)' : ''}: ${tokens.total} tokens ` +
              `(session ${tokens.session}, journey ${tokens.journey}, knowledge ${tokens.knowledge}, documents ${tokens.documents})`,
            table,
          ].join('\n');
        });
      });
    });
}
