import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { EngineConfigInput } from '../../config/engine-config.js';
import type { ApiKeyRole } from '../../core/api-key.js';
import { createEngine, type Engine } from '../../engine.js';
import type { Store } from '../../store/store.js';
import { createServer, keyCountCacheOf } from '../create-server.js';
import type { ServerOptions } from '../server-options.js';

/** An engine and its server for tests (in-process; `inject` never opens a socket). */
export interface ServerHarness {
  engine: Engine;
  app: FastifyInstance;
  /** Creates an API key and returns its bearer token (the server sees it at once). */
  key(role: ApiKeyRole, tenantId: string | null): Promise<string>;
  call(method: InjectOptions['method'], url: string, options?: CallOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  /** A raw payload sent as is (malformed JSON, wrong content types). */
  payload?: string | Buffer | undefined;
  headers?: Record<string, string> | undefined;
}

export interface HarnessOptions {
  databaseUrl?: string | undefined;
  config?: EngineConfigInput | undefined;
  server?: ServerOptions | undefined;
  /** A store to use instead of the one `databaseUrl` opens. */
  store?: Store | undefined;
}

export async function createServerHarness(options: HarnessOptions = {}): Promise<ServerHarness> {
  const config = options.config ?? {};
  const engine = await createEngine(
    {
      ...config,
      databaseUrl: options.databaseUrl ?? 'memory:',
      server: { logLevel: 'silent', ...config.server },
    },
    { store: options.store },
  );
  const app = await createServer(engine, { rateLimit: { max: 100_000, windowMs: 60_000 }, ...options.server });
  await app.ready();
  return {
    engine,
    app,
    async key(role, tenantId) {
      const created = await engine.apiKeys.create({ tenantId, role });
      keyCountCacheOf(app)?.invalidate();
      return created.token;
    },
    call(method, url, callOptions = {}) {
      const headers: Record<string, string> = { ...callOptions.headers };
      if (callOptions.token !== undefined) headers.authorization = `Bearer ${callOptions.token}`;
      let payload: string | Buffer | undefined = callOptions.payload;
      if (payload === undefined && callOptions.body !== undefined) {
        payload = JSON.stringify(callOptions.body);
        headers['content-type'] ??= 'application/json';
      }
      return app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
    },
    async close() {
      await app.close();
      await engine.close();
    },
  };
}
