import { createRequire } from 'node:module';
import { type Transferable, Worker } from 'node:worker_threads';
import { HNSW_WORKER_SOURCE } from './hnsw-worker-source.js';

/** A request to the index thread; `index` names one of its indexes. */
export interface HnswRequest {
  op: 'create' | 'load' | 'add' | 'remove' | 'search' | 'save' | 'drop';
  index: number;
  [field: string]: unknown;
}

interface Reply {
  id: number;
  result?: unknown;
  error?: string;
}

interface Waiter {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * The thread that holds a store's HNSW indexes, so that graph searches run beside the main thread's work (on another
 * core) and index builds never block its event loop. Requests are answered in order: an add sent before a search is in
 * the index the search walks. Started on the first request; while nothing is waited for, it does not keep the process
 * alive. If the thread dies, every waiting and later request of that incarnation fails (its indexes are gone), and the
 * next `incarnation` starts afresh on demand.
 */
export class HnswWorker {
  readonly #source: string;
  #worker: Worker | undefined;
  readonly #waiting = new Map<number, Waiter>();
  #nextId = 1;
  #nextIndex = 1;
  #closed = false;
  /** Bumped each time a thread starts: indexes belong to the incarnation that created them. */
  #incarnation = 0;

  /** `source` is the thread's code (tests wrap the real one). */
  constructor(source: string = HNSW_WORKER_SOURCE) {
    this.#source = source;
  }

  /** The incarnation a new index would be created in (starts the thread when none runs); -1 when it cannot start. */
  get incarnation(): number {
    try {
      this.#started();
      return this.#incarnation;
    } catch {
      return -1;
    }
  }

  /** A fresh index handle in the current incarnation. */
  newIndex(): { index: number; incarnation: number } {
    return { index: this.#nextIndex++, incarnation: this.incarnation };
  }

  /** Sends a request for an index of `incarnation`; fails at once when that incarnation's thread is gone. */
  request<T>(incarnation: number, request: HnswRequest, transfer: readonly Transferable[] = []): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the vector index thread is closed'));
    let worker: Worker;
    try {
      worker = this.#started();
    } catch (error) {
      return Promise.reject(error);
    }
    if (incarnation !== this.#incarnation)
      return Promise.reject(new Error('the vector index thread stopped; its indexes are gone'));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.#waiting.size === 0) worker.ref();
      this.#waiting.set(id, { resolve: resolve as (result: unknown) => void, reject });
      worker.postMessage({ ...request, id }, transfer as Transferable[]);
    });
  }

  /** Stops the thread; waiting requests fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error('the vector index thread is closed'));
    await worker?.terminate();
  }

  #started(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(this.#source, {
      eval: true,
      workerData: { usearch: createRequire(import.meta.url).resolve('usearch') },
    });
    this.#incarnation += 1;
    worker.unref();
    worker.on('message', (reply: Reply) => this.#settle(worker, reply));
    worker.on('error', (error) => this.#stopped(worker, error));
    worker.on('exit', (code) => this.#stopped(worker, new Error(`the vector index thread exited (code ${code})`)));
    this.#worker = worker;
    return worker;
  }

  #settle(worker: Worker, reply: Reply): void {
    const waiter = this.#waiting.get(reply.id);
    if (waiter === undefined) return;
    this.#waiting.delete(reply.id);
    if (this.#waiting.size === 0) worker.unref();
    if (reply.error === undefined) waiter.resolve(reply.result);
    else waiter.reject(new Error(reply.error));
  }

  #stopped(worker: Worker, error: Error): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#failAll(error);
  }

  #failAll(error: Error): void {
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const waiter of waiting) waiter.reject(error);
  }
}
