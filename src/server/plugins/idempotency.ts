import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConflictError, ValidationError } from '../../core/errors.js';
import type { IdempotencyStore } from '../../store/idempotency-store.js';
import { principalId } from '../principal.js';
import { HttpProblemError } from '../problem.js';

export interface IdempotencyOptions {
  store: IdempotencyStore;
  /** How long answers are remembered (default 24 h). */
  retentionMs?: number | undefined;
  /** How often old records are purged, at most (default 10 min). */
  purgeEveryMs?: number | undefined;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const REPLAYED_HEADERS = ['content-type', 'etag', 'location'];

function requestHash(request: FastifyRequest): string {
  return createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`, 'utf8')
    .digest('hex');
}

function replay(reply: FastifyReply, response: { statusCode: number; headers: Record<string, string>; body: string }) {
  reply.code(response.statusCode);
  for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
  reply.header('idempotent-replayed', 'true');
  return reply.send(response.body);
}

/**
 * `Idempotency-Key` on POST: the first answer (status, body, content-type/ETag/Location) is stored and
 * replayed with `Idempotent-Replayed: true`; the same key with another request is 422; a key whose first
 * request is still running is 409. A first request that fails with 5xx releases its claim so it can be
 * retried. Scope = API key id (or "open") + tenant, so keys never collide across callers.
 */
export function registerIdempotency(app: FastifyInstance, options: IdempotencyOptions): void {
  const { store } = options;
  const retentionMs = options.retentionMs ?? 24 * 60 * 60 * 1000;
  const purgeEveryMs = options.purgeEveryMs ?? 10 * 60 * 1000;
  let lastPurge = 0;

  function purgeOpportunistically(request: FastifyRequest): void {
    const now = Date.now();
    if (now - lastPurge < purgeEveryMs) return;
    lastPurge = now;
    store.purge(new Date(now - retentionMs).toISOString()).catch((error: unknown) => {
      request.log.warn({ err: error }, 'purging idempotency records failed');
    });
  }

  app.decorateRequest('idempotency', null);

  async function claimKey(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers['idempotency-key'];
    if (header === undefined || request.routeOptions.config?.access === undefined) return;
    const key = Array.isArray(header) ? header.join(',') : header;
    if (!KEY_PATTERN.test(key)) {
      throw new ValidationError('Idempotency-Key must be 1-255 visible ASCII characters.', { code: 'invalid_idempotency_key' });
    }
    const tenant = (request.params as Record<string, unknown> | undefined)?.tenant;
    const scope = `${principalId(request.principal) ?? 'anonymous'}:${typeof tenant === 'string' ? tenant : '-'}`;
    purgeOpportunistically(request);
    const hash = requestHash(request);
    const claim = await store.claim(scope, key, hash, new Date().toISOString());
    if (claim.claimed) {
      request.idempotency = { scope, key, settled: false };
      return;
    }
    const existing = claim.existing;
    if (existing.requestHash !== hash) {
      throw new HttpProblemError({
        status: 422,
        code: 'idempotency_key_reused',
        detail: 'This Idempotency-Key was already used for a different request; use a new key.',
      });
    }
    if (existing.response === null) {
      throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly.', {
        code: 'idempotency_in_flight',
      });
    }
    return replay(reply, existing.response);
  }

  async function remember(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const claim = request.idempotency;
    if (claim === null || claim.settled) return payload;
    claim.settled = true;
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      await store.release(claim.scope, claim.key);
      return payload;
    }
    const headers: Record<string, string> = {};
    for (const name of REPLAYED_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    await store.complete(claim.scope, claim.key, { statusCode: reply.statusCode, headers, body: payload });
    return payload;
  }

  // A request aborted (or failed) before it answered never reaches onSend: forget its claim.
  async function releaseUnsettled(request: FastifyRequest): Promise<void> {
    const claim = request.idempotency;
    if (claim === null || claim.settled) return;
    claim.settled = true;
    await store.release(claim.scope, claim.key);
  }

  // Only authenticated POST routes take Idempotency-Key: the hooks are attached to those routes alone, so
  // reads never pay for them.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.includes('POST') || route.config?.access === undefined) return;
    route.preHandler = [...asArray(route.preHandler), claimKey];
    route.onSend = [...asArray(route.onSend), remember];
    route.onResponse = [...asArray(route.onResponse), releaseUnsettled];
    route.onRequestAbort = [...asArray(route.onRequestAbort), releaseUnsettled];
  });
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
