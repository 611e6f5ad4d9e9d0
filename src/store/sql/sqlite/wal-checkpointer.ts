import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { WAL_CHECKPOINTER_SOURCE } from './wal-checkpointer-source.js';

export interface WalCheckpointerOptions {
  /** How often the thread looks for new commits and checkpoints them (PASSIVE). */
  intervalMs: number;
  /** Log size, in frames (pages), at which the thread holds the writes and starts the log again (RESTART). */
  restartFrames: number;
  /** How long a RESTART waits for readers still on the log before it gives up (the writes are held meanwhile). */
  busyTimeoutMs: number;
  /** Longest the writes are held for one RESTART, whatever the thread does. */
  maxPauseMs: number;
  /** The thread's code (tests wrap the real one). */
  source?: string | undefined;
}

/** What the checkpointer holds: the database's write transactions. */
export interface WriteGate {
  /** Holds new write transactions; resolves once none is open. */
  hold(): Promise<void>;
  /** Lets them go again. */
  release(): void;
}

/** What the thread has done, for tests and diagnostics. */
export interface WalCheckpointerStats {
  passive: number;
  restarts: number;
  failed: number;
  /** Frames in the log at the last checkpoint the thread reported. */
  lastLog: number;
  /** How long the last RESTART held the writes, in ms. */
  lastPauseMs: number;
}

interface Message {
  type: 'passive' | 'pause' | 'resume';
  busy?: number;
  log?: number;
  error?: string;
}

/**
 * Checkpoints a SQLite file's write-ahead log on a thread of its own (`wal-checkpointer-source.ts`). Without it the
 * writer's automatic checkpoint runs inside the COMMIT that crosses its threshold, on the event loop: every few hundred
 * assemblies one stalled ~90 ms copying the log back and syncing the file. Writes are held only while the thread
 * starts the log again (RESTART), which copies the few frames its last PASSIVE checkpoint left. If the thread fails,
 * `onFailed` runs once (the caller gives the writer its automatic checkpoints back) and nothing is held again.
 */
export class WalCheckpointer {
  readonly #worker: Worker;
  readonly #gate: WriteGate;
  readonly #options: WalCheckpointerOptions;
  readonly #onFailed: (error: Error) => void;
  readonly #stats: WalCheckpointerStats = { passive: 0, restarts: 0, failed: 0, lastLog: 0, lastPauseMs: 0 };
  #held: { since: number; timer: NodeJS.Timeout } | undefined;
  #stopped = false;

  constructor(path: string, gate: WriteGate, options: WalCheckpointerOptions, onFailed: (error: Error) => void) {
    this.#gate = gate;
    this.#options = options;
    this.#onFailed = onFailed;
    this.#worker = new Worker(options.source ?? WAL_CHECKPOINTER_SOURCE, {
      eval: true,
      workerData: {
        betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3'),
        path,
        intervalMs: options.intervalMs,
        restartFrames: options.restartFrames,
        busyTimeoutMs: options.busyTimeoutMs,
      },
    });
    this.#worker.unref();
    this.#worker.on('message', (message: Message) => this.#received(message));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) => this.#fail(new Error(`the WAL checkpoint thread exited (code ${code})`)));
  }

  get stats(): Readonly<WalCheckpointerStats> {
    return { ...this.#stats };
  }

  /** Ends the thread after any checkpoint in progress, and lets held writes go. */
  async close(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#release();
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    this.#worker.postMessage({ type: 'close' });
    const timer = setTimeout(() => void this.#worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  #received(message: Message): void {
    if (this.#stopped) return;
    if (message.type === 'passive') {
      if (message.error === undefined) {
        this.#stats.passive += 1;
        this.#stats.lastLog = message.log ?? 0;
      } else this.#stats.failed += 1;
    } else if (message.type === 'pause') void this.#hold();
    else {
      if (message.error === undefined && message.busy === 0) this.#stats.restarts += 1;
      else this.#stats.failed += 1;
      this.#stats.lastLog = message.log ?? this.#stats.lastLog;
      this.#release();
    }
  }

  async #hold(): Promise<void> {
    if (this.#held !== undefined) return;
    const timer = setTimeout(() => this.#release(), this.#options.maxPauseMs);
    timer.unref();
    this.#held = { since: performance.now(), timer };
    await this.#gate.hold();
    if (this.#stopped) return;
    // Held too long already (the time ran out while a write was open): the thread skips this RESTART.
    this.#worker.postMessage({ type: this.#held === undefined ? 'skip' : 'paused' });
  }

  #release(): void {
    const held = this.#held;
    if (held === undefined) return;
    this.#held = undefined;
    clearTimeout(held.timer);
    this.#stats.lastPauseMs = performance.now() - held.since;
    this.#gate.release();
  }

  #fail(error: Error): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#release();
    this.#onFailed(error);
  }
}
