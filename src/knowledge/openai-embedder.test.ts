import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderCallError } from '../core/errors.js';
import { createEngine } from '../engine.js';
import { createEmbedder } from './create-embedder.js';
import { createHashedEmbedder } from './hashed-embedder.js';
import { createOpenAiEmbedder } from './openai-embedder.js';

const KEY = 'sk-test-secret-123';

interface Received {
  authorization: string | undefined;
  body: { model: string; input: string[]; dimensions?: number; encoding_format?: string };
}

/** A local server that speaks the OpenAI embeddings API: answers vectors (scaled ×3, shuffled) from the hashed embedder. */
class FakeEmbeddingsServer {
  readonly received: Received[] = [];
  /** Status codes to answer first, in order, before answering normally. */
  failures: { status: number; body?: string; retryAfter?: string }[] = [];
  #server: Server | undefined;
  readonly #reference = createHashedEmbedder({ dimensions: 64 });

  async start(): Promise<string> {
    const server = createServer((request, response) => void this.#handle(request, response));
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  async #handle(request: IncomingMessage, response: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'];
    this.received.push({ authorization: request.headers.authorization, body });
    const failure = this.failures.shift();
    if (request.url !== '/v1/embeddings' || request.method !== 'POST') {
      response.writeHead(404).end();
      return;
    }
    if (failure !== undefined) {
      response.writeHead(failure.status, failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter });
      response.end(failure.body ?? '{"error":{"message":"try later"}}');
      return;
    }
    if (request.headers.authorization !== `Bearer ${KEY}`) {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${request.headers.authorization}` } }));
      return;
    }
    const vectors = await this.#reference.embed(body.input);
    const data = vectors.map((vector, index) => ({ object: 'embedding', index, embedding: Array.from(vector, (v) => v * 3) }));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({ object: 'list', data: data.reverse(), model: body.model, usage: { prompt_tokens: 1, total_tokens: 1 } }),
    );
  }
}

describe('OpenAI-compatible embedder against a local server', () => {
  let server: FakeEmbeddingsServer;
  let baseUrl: string;

  beforeEach(async () => {
    server = new FakeEmbeddingsServer();
    baseUrl = await server.start();
  });
  afterEach(() => server.stop());

  it('batches, sends model, dimensions and key, and normalises vectors back into input order', async () => {
    const embedder = createOpenAiEmbedder({
      baseUrl: `${baseUrl}/`,
      model: 'text-embedding-3-small',
      apiKey: KEY,
      dimensions: 64,
      batchSize: 2,
    });
    expect(embedder.id).toBe('openai:text-embedding-3-small:64');
    const texts = ['alpha beta', 'gamma', 'delta epsilon', 'zeta', 'eta'];
    const vectors = await embedder.embed(texts);
    const expected = await createHashedEmbedder({ dimensions: 64 }).embed(texts);
    expect(server.received.map((call) => call.body.input)).toEqual([['alpha beta', 'gamma'], ['delta epsilon', 'zeta'], ['eta']]);
    expect(server.received[0]?.body).toMatchObject({ model: 'text-embedding-3-small', dimensions: 64, encoding_format: 'float' });
    expect(server.received[0]?.authorization).toBe(`Bearer ${KEY}`);
    vectors.forEach((vector, index) => {
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
      expect(Array.from(vector).map((v) => Number(v.toFixed(5)))).toEqual(
        Array.from(expected[index] ?? []).map((v) => Number(v.toFixed(5))),
      );
    });
  });

  it('retries 429 and 5xx, then fails clearly without leaking the key', async () => {
    const embedder = createOpenAiEmbedder({ baseUrl, model: 'm', apiKey: KEY, maxAttempts: 3 });
    server.failures = [{ status: 429, retryAfter: '0' }, { status: 503 }];
    expect(await embedder.embed(['one'])).toHaveLength(1);
    expect(server.received).toHaveLength(3);

    server.failures = [{ status: 500 }, { status: 502 }, { status: 503, body: `upstream said ${KEY}` }];
    const failed = await embedder.embed(['one']).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ProviderCallError);
    expect(failed).toMatchObject({ code: 'embedding_failed', isRetryable: true });
    expect((failed as Error).message).toMatch(/answered 503/);
    expect((failed as Error).message).not.toContain(KEY);

    const wrongKey = createOpenAiEmbedder({ baseUrl, model: 'm', apiKey: 'sk-wrong-key' });
    const refused = await wrongKey.embed(['one']).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'embedding_failed', isRetryable: false });
    expect((refused as Error).message).toMatch(/answered 401/);
    expect((refused as Error).message).not.toContain('sk-wrong-key');
  });

  it('refuses an answer with the wrong number of vectors, and an unreachable server', async () => {
    const embedder = createOpenAiEmbedder({ baseUrl, model: 'm', apiKey: KEY });
    server.failures = [{ status: 200, body: '{"data":[]}' }];
    await expect(embedder.embed(['one'])).rejects.toMatchObject({ code: 'embedding_invalid_response' });
    const closed = createOpenAiEmbedder({ baseUrl: 'http://127.0.0.1:9/v1', model: 'm', maxAttempts: 1 });
    await expect(closed.embed(['one'])).rejects.toMatchObject({ code: 'embedding_unavailable', isRetryable: true });
  });

  it('serves an engine configured for it, taking the key from CTX_EMBEDDINGS_API_KEY', async () => {
    const embedder = createEmbedder(
      { kind: 'openai', baseUrl, model: 'local-model', batchSize: 64, timeoutMs: 5000, maxAttempts: 1 },
      {
        CTX_EMBEDDINGS_API_KEY: KEY,
      },
    );
    await expect(embedder.embed(['x'])).resolves.toHaveLength(1);
    const engine = await createEngine({
      databaseUrl: 'memory:',
      knowledge: { embedder: { kind: 'openai', baseUrl, model: 'local-model', apiKey: KEY } },
    });
    try {
      await engine.tenants.create({ id: 'acme' });
      await engine.knowledge.add('acme', [
        { id: 'a', text: 'container shipping from Rotterdam' },
        { id: 'b', text: 'quarterly revenue forecast' },
      ]);
      const { results } = await engine.knowledge.search('acme', { query: 'shipping containers', mode: 'vector' });
      expect(results[0]?.id).toBe('a');
      expect(server.received.every((call) => call.body.model === 'local-model')).toBe(true);
    } finally {
      await engine.close();
    }
  });
});
