/** Turns texts into L2-normalised vectors. Implementations: the offline hashed embedder, an OpenAI-compatible API. */
export interface Embedder {
  /** Names the model and its dimensions (`hashed-ngrams-v1:384`): stored with every vector, compared at search. */
  readonly id: string;
  /** Vector length, when known before the first call. */
  readonly dimensions?: number | undefined;
  /** One vector per text, in order. Failures are ProviderCallError (isRetryable for 429/5xx/network). */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

/** Scales a vector to length 1 in place (a zero vector stays zero); returns it. */
export function normalizeVector(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let index = 0; index < vector.length; index += 1) vector[index] = (vector[index] ?? 0) * scale;
  return vector;
}

/** Dot product (= cosine similarity of two normalised vectors). */
export function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) sum += (left[index] ?? 0) * (right[index] ?? 0);
  return sum;
}
