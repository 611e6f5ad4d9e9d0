/**
 * `ctx`: the context engine's command line, working directly on the configured database.
 *
 * Exit codes:
 *   0  ok
 *   1  unexpected error
 *   2  usage error: bad flags or arguments, invalid JSON, bad configuration, unsupported database
 *   3  not found (tenant, key, version, update, API key, file to import)
 *   4  conflict: already exists, If-Match precondition failed, update not pending, update conflicted
 *   5  validation error from the library (bad key, value too large, invalid or corrupted export file …)
 *   6  backend unavailable (database locked, unreachable or failing)
 *   10 pending review: `put` / `rollback` succeeded but the update waits for approval (nothing applied yet).
 *      Deliberately non-zero so a script never mistakes a proposal for a write; `--json` says `"status": "pending"`.
 *
 * Errors are one line `ctx: <message>` on stderr. `--json` prints one JSON document on stdout (the HTTP API's
 * shapes where one exists) and nothing else.
 */
import { Command, CommanderError } from 'commander';
import { type CliIo, processIo } from './cli-io.js';
import { registerApprovals } from './commands/approvals.js';
import { registerAssemble } from './commands/assemble.js';
import { registerCheckpoint } from './commands/checkpoint.js';
import { registerContextReads } from './commands/contexts-read.js';
import { registerContextWrites } from './commands/contexts-write.js';
import { registerEvents } from './commands/events.js';
import { registerInitDb } from './commands/init-db.js';
import { registerKeys } from './commands/keys.js';
import { registerKnowledge } from './commands/knowledge.js';
import { registerRuns } from './commands/runs.js';
import { registerServe } from './commands/serve.js';
import { registerStatus } from './commands/status.js';
import { registerTenants } from './commands/tenants.js';
import { registerTransfer } from './commands/transfer.js';
import { errorLine, exitCodeFor } from './exit-codes.js';
import { CliRuntime } from './runtime.js';

export type { CliIo } from './cli-io.js';
export { EXIT_CODES, type ExitCode } from './exit-codes.js';

/** The command tree; settings set here (exit override, output) are inherited by every subcommand. */
export function createProgram(runtime: CliRuntime): Command {
  const { io } = runtime;
  const program = new Command('ctx')
    .description('The context engine: governed, versioned context for LLM agents.')
    .option('--database <url>', 'sqlite:<path> or memory: (default CTX_DATABASE_URL, then sqlite:./data/context.db)')
    .option('--json', 'machine-readable output on stdout')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(errorLine(text)),
    });
  program.addHelpText(
    'after',
    '\nExit codes: 0 ok, 1 unexpected error, 2 usage, 3 not found, 4 conflict or failed precondition,\n' +
      '5 validation, 6 backend unavailable, 10 pending review (put/rollback proposed, not applied yet).\n' +
      'Configuration: context-engine.config.json, CTX_* variables, then flags.',
  );
  registerServe(program, runtime);
  registerInitDb(program, runtime);
  registerTenants(program, runtime);
  registerStatus(program, runtime);
  registerApprovals(program, runtime);
  registerContextReads(program, runtime);
  registerContextWrites(program, runtime);
  registerTransfer(program, runtime);
  registerKeys(program, runtime);
  registerRuns(program, runtime);
  registerKnowledge(program, runtime);
  registerAssemble(program, runtime);
  registerEvents(program, runtime);
  registerCheckpoint(program, runtime);
  return program;
}

/**
 * Runs `ctx` with `argv` as in `process.argv` (node, script, …arguments) and returns the exit code.
 * Never calls process.exit; pass `io` to capture output in tests.
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const runtime = new CliRuntime({ ...processIo(), ...io });
  const program = createProgram(runtime);
  try {
    await program.parseAsync([...argv], { from: 'node' });
    return runtime.exitCode;
  } catch (error) {
    // commander has already printed its own usage errors (through outputError).
    if (!(error instanceof CommanderError) || error.code === 'commander.executeSubCommandAsync') {
      runtime.io.stderr.write(errorLine(error));
    }
    return exitCodeFor(error);
  }
}
