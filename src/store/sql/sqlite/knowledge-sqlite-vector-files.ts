import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HnswWorker } from './hnsw-worker.js';
import { HnswIndex, type HnswParameters } from './knowledge-sqlite-hnsw.js';

/** Bumped when the file layout or the index parameters' meaning changes: older files are rebuilt. */
const FORMAT = 1;

/** `<sha256(tenant)>.json` beside the index files: what they hold, and the generation they reflect. */
interface SavedMeta {
  format: number;
  tenantId: string;
  generation: number;
  hnsw: HnswParameters;
  embedders: { embedder: string; file: string; dimensions: number; count: number }[];
}

/** What saved indexes describe: the tenant, its generation and the parameters they were built with. */
export interface SavedStamp {
  directory: string;
  tenantId: string;
  generation: number;
  hnsw: HnswParameters;
}

function tenantFileStem(tenantId: string): string {
  return createHash('sha256').update(tenantId).digest('hex').slice(0, 24);
}

/**
 * The tenant's saved indexes (by embedder), loaded on `worker`, when their stamp matches; undefined when missing,
 * stale or unreadable (nothing stays loaded then).
 */
export async function loadSavedIndexes(worker: HnswWorker, stamp: SavedStamp): Promise<Map<string, HnswIndex> | undefined> {
  const { directory, tenantId, generation, hnsw } = stamp;
  const loaded = new Map<string, HnswIndex>();
  try {
    const meta = JSON.parse(readFileSync(join(directory, `${tenantFileStem(tenantId)}.json`), 'utf8')) as SavedMeta;
    const sameParameters = JSON.stringify(meta.hnsw) === JSON.stringify(hnsw);
    if (meta.format !== FORMAT || meta.tenantId !== tenantId || meta.generation !== generation || !sameParameters) {
      return undefined;
    }
    for (const entry of meta.embedders) {
      const { index, size } = await HnswIndex.load(worker, join(directory, entry.file), entry.dimensions, hnsw);
      loaded.set(entry.embedder, index);
      if (size !== entry.count) throw new Error('the saved index holds another number of vectors');
    }
    return loaded;
  } catch {
    for (const index of loaded.values()) index.drop();
    return undefined;
  }
}

/**
 * Writes the indexes and their stamp beside the database, each through a temporary file and a rename (the stamp
 * last). Throws when a file cannot be written.
 */
export async function saveIndexes(stamp: SavedStamp, byEmbedder: ReadonlyMap<string, HnswIndex>): Promise<void> {
  const { directory, tenantId, generation, hnsw } = stamp;
  mkdirSync(directory, { recursive: true });
  const stem = tenantFileStem(tenantId);
  const embedders: SavedMeta['embedders'] = [];
  let position = 0;
  for (const [embedder, index] of byEmbedder) {
    const file = `${stem}-${position}.usearch`;
    position += 1;
    const count = await index.save(join(directory, `${file}.tmp`));
    renameSync(join(directory, `${file}.tmp`), join(directory, file));
    embedders.push({ embedder, file, dimensions: index.dimensions, count });
  }
  const meta: SavedMeta = { format: FORMAT, tenantId, generation, hnsw, embedders };
  writeFileSync(join(directory, `${stem}.json.tmp`), JSON.stringify(meta));
  renameSync(join(directory, `${stem}.json.tmp`), join(directory, `${stem}.json`));
}
