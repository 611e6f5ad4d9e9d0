import { createRequire } from 'node:module';
import type { Transferable } from 'node:worker_threads';
import type { HnswRequest, HnswWorker } from './hnsw-worker.js';

/** HNSW parameters of a tenant's approximate vector index (usearch). */
export interface HnswParameters {
  /** Graph degree (usearch `connectivity`). */
  connectivity: number;
  /** Candidate list while inserting (`expansion_add`). */
  expansionAdd: number;
  /** Candidate list while searching (`expansion_search`): higher = better recall, slower. */
  expansionSearch: number;
}

/** One approximate neighbour: the chunk's seq and usearch's cosine distance (on int8-quantised vectors). */
export interface HnswMatch {
  seq: number;
  distance: number;
}

type UsearchModule = typeof import('usearch');

let usearchModule: UsearchModule | null | undefined;
let warned = false;

/** usearch's native module, or undefined (with one warning) when its binary does not load on this platform. */
export function loadUsearch(): UsearchModule | undefined {
  if (usearchModule !== undefined) return usearchModule ?? undefined;
  try {
    usearchModule = createRequire(import.meta.url)('usearch') as UsearchModule;
  } catch (error) {
    usearchModule = null;
    if (!warned) {
      warned = true;
      const reason = error instanceof Error ? error.message : String(error);
      process.emitWarning(`usearch could not be loaded (${reason}); vector search stays an exact scan`, {
        code: 'CTX_USEARCH_UNAVAILABLE',
      });
    }
  }
  return usearchModule ?? undefined;
}

/**
 * A usearch HNSW index over one tenant's chunks of one embedder, held by the store's index thread (HnswWorker): keys
 * are chunk seqs, vectors are stored as int8 (cosine), so distances are approximate. Every call is a request to that
 * thread, answered in order; it fails when the thread has stopped (the index is gone with it).
 */
export class HnswIndex {
  readonly dimensions: number;
  readonly #worker: HnswWorker;
  readonly #handle: { index: number; incarnation: number };

  private constructor(worker: HnswWorker, dimensions: number) {
    this.#worker = worker;
    this.#handle = worker.newIndex();
    this.dimensions = dimensions;
  }

  static create(worker: HnswWorker, dimensions: number, parameters: HnswParameters): HnswIndex {
    const index = new HnswIndex(worker, dimensions);
    // Requests are answered in order: the ones sent next find the index created.
    index.#request('create', { dimensions, hnsw: parameters }).catch(() => undefined);
    return index;
  }

  /** Reads an index saved by `save`, with its size; the parameters must be those it was built with. */
  static async load(
    worker: HnswWorker,
    path: string,
    dimensions: number,
    parameters: HnswParameters,
  ): Promise<{ index: HnswIndex; size: number }> {
    const index = new HnswIndex(worker, dimensions);
    const { size } = await index.#request<{ size: number }>('load', { path, dimensions, hnsw: parameters });
    return { index, size };
  }

  /** Adds vectors (a seq already present is replaced). */
  async add(seqs: readonly number[], vectors: readonly Float32Array[]): Promise<void> {
    if (seqs.length === 0) return;
    const matrix = new Float32Array(seqs.length * this.dimensions);
    vectors.forEach((vector, row) => {
      matrix.set(vector.subarray(0, this.dimensions), row * this.dimensions);
    });
    await this.#request('add', { seqs: Float64Array.from(seqs), matrix }, [matrix.buffer]);
  }

  async remove(seqs: readonly number[]): Promise<void> {
    if (seqs.length === 0) return;
    await this.#request('remove', { seqs: Float64Array.from(seqs) });
  }

  /** The `count` nearest seqs (fewer when the index is smaller), walked on the index thread. */
  async search(vector: Float32Array, count: number): Promise<HnswMatch[]> {
    if (count < 1) return [];
    const query = vector.slice(0, this.dimensions);
    const { seqs, distances } = await this.#request<{ seqs: Float64Array; distances: Float32Array }>(
      'search',
      { vector: query, count },
      [query.buffer],
    );
    const found: HnswMatch[] = new Array(seqs.length);
    for (let position = 0; position < seqs.length; position += 1) {
      found[position] = { seq: seqs[position] as number, distance: distances[position] as number };
    }
    return found;
  }

  /** Writes the index to `path`; resolves with the number of vectors written. */
  async save(path: string): Promise<number> {
    const { size } = await this.#request<{ size: number }>('save', { path });
    return size;
  }

  /** Frees the index on its thread (nothing to free when the thread has stopped). */
  drop(): void {
    this.#request('drop', {}).catch(() => undefined);
  }

  #request<T>(op: HnswRequest['op'], fields: Record<string, unknown>, transfer: readonly Transferable[] = []): Promise<T> {
    return this.#worker.request<T>(this.#handle.incarnation, { op, index: this.#handle.index, ...fields }, transfer);
  }
}
