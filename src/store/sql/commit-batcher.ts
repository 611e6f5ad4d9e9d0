import type { CommitCommand, CommitResult } from '../context-store.js';
import { type CommitOutcome, executeCommitBatch } from './sql-commit-batch.js';
import type { SqlDialect } from './sql-dialect.js';
import type { WriteQueue } from './write-queue.js';

interface PendingCommit {
  command: CommitCommand;
  resolve: (result: CommitResult) => void;
  reject: (error: unknown) => void;
}

/** Commits collected into one set-based batch; more than this starts another batch. */
const MAX_COMMITS_PER_BATCH = 256;

/**
 * Collects the commits made while the write queue waits for its next flush into one write command, run
 * set-based by `executeCommitBatch`. Each commit's promise settles only after the queue's COMMIT returned
 * (durable); when the queue runs the batch again (a transaction conflict), it runs the same commits.
 */
export class CommitBatcher {
  readonly #writes: WriteQueue;
  readonly #dialect: SqlDialect;
  #open: PendingCommit[] | undefined;

  constructor(writes: WriteQueue, dialect: SqlDialect) {
    this.#writes = writes;
    this.#dialect = dialect;
  }

  commit(command: CommitCommand): Promise<CommitResult> {
    return new Promise<CommitResult>((resolve, reject) => {
      let batch = this.#open;
      if (batch === undefined || batch.length >= MAX_COMMITS_PER_BATCH) {
        batch = [];
        this.#open = batch;
        this.#submit(batch);
      }
      batch.push({ command, resolve, reject });
    });
  }

  #submit(batch: PendingCommit[]): void {
    const close = () => {
      if (this.#open === batch) this.#open = undefined;
    };
    this.#writes
      .enqueue((transaction) => {
        // From here on the batch is closed: later commits start the next one.
        close();
        return executeCommitBatch(
          transaction,
          this.#dialect,
          batch.map((pending) => pending.command),
        );
      })
      .then(
        (outcomes: CommitOutcome[]) => {
          close();
          batch.forEach((pending, index) => {
            const outcome = outcomes[index];
            if (outcome?.ok) pending.resolve(outcome.result);
            else pending.reject(outcome === undefined ? new Error('A batched commit has no outcome.') : outcome.error);
          });
        },
        (error: unknown) => {
          // The transaction failed, perhaps before this batch ran: close it, or later commits would join it.
          close();
          for (const pending of batch) pending.reject(error);
        },
      );
  }
}
