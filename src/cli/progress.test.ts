import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io.js';
import { createProgressReporter } from './progress.js';

function io(stderrIsTTY: boolean): { io: CliIo; written: () => string } {
  const chunks: string[] = [];
  const stderr = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  Object.assign(stderr, { isTTY: true, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  const base = { stdout: stderr, stderr, stdin: process.stdin, env: {}, stderrIsTTY, waitForShutdown: async () => {} } as CliIo;
  return { io: base, written: () => chunks.join('') };
}

describe('progress', () => {
  it('draws a bar on a terminal for long work only', () => {
    const terminal = io(true);
    const reporter = createProgressReporter(terminal.io, false);
    reporter.update({ phase: 'export', done: 1, total: 10 });
    expect(terminal.written()).toBe('');
    reporter.update({ phase: 'export', done: 1500, total: 3000 });
    reporter.stop();
    expect(terminal.written()).toMatch(/exporting .*1500\/3000 lines/);
  });

  it('stays silent with --json or without a terminal', () => {
    for (const [tty, json] of [
      [false, false],
      [true, true],
    ] as const) {
      const target = io(tty);
      const reporter = createProgressReporter(target.io, json);
      reporter.update({ phase: 'write', done: 5000, total: 5000 });
      reporter.stop();
      expect(target.written()).toBe('');
    }
  });
});
