import type { Readable, Writable } from 'node:stream';

/** Everything the CLI touches outside itself, injectable so tests run it in-process. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: Record<string, string | undefined>;
  /** Progress bars are drawn only on a terminal. */
  stderrIsTTY: boolean;
  /** `serve` runs until this resolves (default: SIGINT or SIGTERM). */
  waitForShutdown: () => Promise<void>;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The real process's streams, environment and signals. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    stderrIsTTY: process.stderr.isTTY === true,
    waitForShutdown: waitForSignal,
  };
}
