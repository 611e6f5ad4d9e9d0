import cliProgress from 'cli-progress';
import type { TransferProgress } from '../transfer/export-tenant.js';
import type { CliIo } from './cli-io.js';

/** Work shorter than this finishes before a bar is worth drawing. */
export const PROGRESS_MIN_LINES = 1000;

export interface ProgressReporter {
  update(progress: TransferProgress): void;
  stop(): void;
}

const LABELS: Record<TransferProgress['phase'], string> = { export: 'exporting', validate: 'validating', write: 'importing' };

/** A progress bar on stderr for long transfers, drawn only on a terminal and never with --json. */
export function createProgressReporter(io: CliIo, json: boolean): ProgressReporter {
  if (json || !io.stderrIsTTY) return { update() {}, stop() {} };
  let bar: cliProgress.SingleBar | undefined;
  let phase: TransferProgress['phase'] | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    update(progress) {
      if (progress.total === undefined || progress.total < PROGRESS_MIN_LINES) return;
      if (phase !== progress.phase) {
        stop();
        phase = progress.phase;
        bar = new cliProgress.SingleBar(
          {
            stream: io.stderr,
            format: `${LABELS[progress.phase]} [{bar}] {percentage}% | {value}/{total} lines | ETA {eta_formatted}`,
            hideCursor: true,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(progress.total, 0);
      }
      bar?.setTotal(Math.max(progress.total, progress.done));
      bar?.update(progress.done);
    },
    stop,
  };
}
