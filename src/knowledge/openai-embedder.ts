import { ProviderCallError } from '../core/errors.js';
import { type Embedder, normalizeVector } from './embedder.js';

export interface OpenAiEmbedderOptions {
  /** e.g. https://api.openai.com/v1 — `/embeddings` is appended. */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …`; never part of an error message or a log line. */
  apiKey?: string | undefined;
  dimensions?: number | undefined;
  batchSize?: number | undefined;
  timeoutMs?: number | undefined;
  maxAttempts?: number | undefined;
  /** Injected in tests; defaults to the global fetch. */
  fetch?: typeof fetch | undefined;
}

interface EmbeddingsResponse {
  data?: Array<{ index?: number; embedding?: unknown }>;
}

const MAX_RETRY_DELAY_MS = 10_000;

function endpoint(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/embeddings`;
}

function retryDelay(response: Response | undefined, attempt: number): number {
  const header = response?.headers.get('retry-after');
  const seconds = header === null || header === undefined ? Number.NaN : Number(header);
  const delay = Number.isFinite(seconds) ? seconds * 1000 : 200 * 2 ** (attempt - 1);
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(0, delay));
}

function parseVectors(body: EmbeddingsResponse, count: number, where: string): Float32Array[] {
  const data = body.data;
  if (!Array.isArray(data) || data.length !== count) {
    throw new ProviderCallError(`${where} answered ${Array.isArray(data) ? data.length : 'no'} embeddings for ${count} inputs.`, {
      code: 'embedding_invalid_response',
      isRetryable: false,
    });
  }
  const vectors: Float32Array[] = new Array(count);
  data.forEach((entry, position) => {
    const index = typeof entry.index === 'number' ? entry.index : position;
    const embedding = entry.embedding;
    if (!Array.isArray(embedding) || embedding.length === 0 || !embedding.every((value) => typeof value === 'number')) {
      throw new ProviderCallError(`${where} answered an embedding that is not an array of numbers.`, {
        code: 'embedding_invalid_response',
        isRetryable: false,
      });
    }
    vectors[index] = normalizeVector(Float32Array.from(embedding as number[]));
  });
  return vectors;
}

/**
 * An OpenAI-compatible embeddings client (`POST {baseUrl}/embeddings`): OpenAI, Ollama, vLLM, TEI, LiteLLM …
 * Batches inputs, retries 429, 5xx and network failures with backoff (honouring Retry-After), normalises vectors.
 */
export function createOpenAiEmbedder(options: OpenAiEmbedderOptions): Embedder {
  const url = endpoint(options.baseUrl);
  const where = `The embeddings API at ${new URL(url).origin}`;
  const batchSize = options.batchSize ?? 64;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const call = options.fetch ?? fetch;
  const apiKey = options.apiKey;

  async function request(input: readonly string[]): Promise<Float32Array[]> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (apiKey !== undefined) headers.authorization = `Bearer ${apiKey}`;
    const body = JSON.stringify({
      model: options.model,
      input,
      encoding_format: 'float',
      ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }),
    });
    for (let attempt = 1; ; attempt += 1) {
      let response: Response | undefined;
      try {
        response = await call(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        if (attempt >= maxAttempts) {
          throw new ProviderCallError(`${where} could not be reached (${(error as Error).name}).`, {
            code: 'embedding_unavailable',
            isRetryable: true,
            cause: error,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, retryDelay(undefined, attempt)));
        continue;
      }
      if (response.ok) return parseVectors((await response.json()) as EmbeddingsResponse, input.length, where);
      const retryable = response.status === 429 || response.status >= 500;
      if (!retryable || attempt >= maxAttempts) {
        const text = await response.text().catch(() => '');
        // A server that echoes the request must not put the key into an error message.
        const detail = (apiKey === undefined ? text : text.replaceAll(apiKey, '[redacted]')).slice(0, 200).replace(/\s+/g, ' ');
        throw new ProviderCallError(`${where} answered ${response.status}${detail === '' ? '' : `: ${detail}`}`, {
          code: 'embedding_failed',
          isRetryable: retryable,
          details: { status: response.status },
        });
      }
      await response.body?.cancel().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, retryDelay(response, attempt)));
    }
  }

  return Object.freeze({
    id: `openai:${options.model}${options.dimensions === undefined ? '' : `:${options.dimensions}`}`,
    dimensions: options.dimensions,
    async embed(texts: readonly string[]): Promise<Float32Array[]> {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        vectors.push(...(await request(texts.slice(start, start + batchSize))));
      }
      return vectors;
    },
  });
}
