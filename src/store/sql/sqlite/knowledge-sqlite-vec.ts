import type Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';

let warned = false;

/**
 * Loads sqlite-vec (SIMD vector distances) into a connection. Without its platform package, a JavaScript
 * `vec_distance_cosine` takes its place: the same answers, slower, with one warning.
 */
export function loadVectorFunctions(connection: Database.Database): void {
  try {
    sqliteVec.load(connection);
  } catch (error) {
    if (!warned) {
      warned = true;
      const reason = error instanceof Error ? error.message : String(error);
      process.emitWarning(`sqlite-vec could not be loaded (${reason}); vector search uses a slower JavaScript scan`, {
        code: 'CTX_SQLITE_VEC_UNAVAILABLE',
      });
    }
    connection.function('vec_distance_cosine', { deterministic: true }, (left: unknown, right: unknown) =>
      cosineDistance(left as Uint8Array, right as Uint8Array),
    );
  }
}

function cosineDistance(left: Uint8Array, right: Uint8Array): number | null {
  const a = new Float32Array(left.buffer, left.byteOffset, left.byteLength / 4);
  const b = new Float32Array(right.buffer, right.byteOffset, right.byteLength / 4);
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < Math.min(a.length, b.length); index += 1) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    leftNorm += x * x;
    rightNorm += y * y;
  }
  if (leftNorm === 0 || rightNorm === 0) return null;
  return 1 - dot / Math.sqrt(leftNorm * rightNorm);
}
