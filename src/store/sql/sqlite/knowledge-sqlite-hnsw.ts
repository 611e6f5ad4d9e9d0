import { createRequire } from 'node:module';

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
type UsearchIndex = InstanceType<UsearchModule['Index']>;

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
 * A usearch HNSW index over one tenant's chunks of one embedder: keys are chunk seqs, vectors are stored as int8
 * (cosine), so distances are approximate — callers re-rank the candidates with the exact float32 vectors.
 */
export class HnswIndex {
  readonly dimensions: number;
  readonly #index: UsearchIndex;

  private constructor(index: UsearchIndex, dimensions: number) {
    this.#index = index;
    this.dimensions = dimensions;
  }

  static create(usearch: UsearchModule, dimensions: number, parameters: HnswParameters): HnswIndex {
    const index = new usearch.Index({
      dimensions,
      metric: usearch.MetricKind.Cos,
      quantization: usearch.ScalarKind.I8,
      connectivity: parameters.connectivity,
      expansion_add: parameters.expansionAdd,
      expansion_search: parameters.expansionSearch,
      multi: false,
    });
    return new HnswIndex(index, dimensions);
  }

  /** Reads an index saved by `save`; the parameters must be those it was built with. */
  static load(usearch: UsearchModule, path: string, dimensions: number, parameters: HnswParameters): HnswIndex {
    const index = HnswIndex.create(usearch, dimensions, parameters);
    index.#index.load(path);
    return index;
  }

  get size(): number {
    return this.#index.size();
  }

  /** Adds vectors (a seq already present is replaced). */
  add(seqs: readonly number[], vectors: readonly Float32Array[]): void {
    if (seqs.length === 0) return;
    const keys = BigUint64Array.from(seqs, (seq) => BigInt(seq));
    for (const key of keys) if (this.#index.contains(key) === true) this.#index.remove(key);
    const matrix = new Float32Array(seqs.length * this.dimensions);
    vectors.forEach((vector, row) => {
      matrix.set(vector.subarray(0, this.dimensions), row * this.dimensions);
    });
    this.#index.add(keys, matrix, 0);
  }

  remove(seqs: readonly number[]): void {
    for (const seq of seqs) {
      const key = BigInt(seq);
      if (this.#index.contains(key) === true) this.#index.remove(key);
    }
  }

  /** The `count` nearest seqs (fewer when the index is smaller). Single-threaded: one query is small. */
  search(vector: Float32Array, count: number): HnswMatch[] {
    if (this.size === 0 || count < 1) return [];
    const matches = this.#index.search(vector.subarray(0, this.dimensions), Math.min(count, this.size), 1);
    const found: HnswMatch[] = [];
    matches.keys.forEach((key, position) => {
      // usearch pads missing results with the largest key.
      if (key === 0xffffffffffffffffn) return;
      found.push({ seq: Number(key), distance: matches.distances[position] ?? 1 });
    });
    return found;
  }

  save(path: string): void {
    this.#index.save(path);
  }
}
