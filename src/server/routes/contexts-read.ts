import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { versionBody } from '../../contexts/version-view.js';
import type { ContextVersion } from '../../core/context-version.js';
import { ValidationError } from '../../core/errors.js';
import { contextTarget } from '../context-path.js';
import { etagOf, notModified } from '../preconditions.js';
import { pageOf, problemResponses, tenantParamsSchema } from '../schemas/common-schemas.js';
import {
  contextParamsSchema,
  contextVersionSchema,
  diffSchema,
  keySummarySchema,
  listContextsQuerySchema,
  readQuerySchema,
} from '../schemas/context-schemas.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['contexts'];
const KEY_ROUTE = '/v1/tenants/:tenant/contexts/*';

type ReadQuery = Record<string, unknown>;

const JSON_TYPE = 'application/json; charset=utf-8';
/** Serialised document answers kept, in total (characters); single answers above a sixteenth are not kept. */
const BODY_CACHE_CHARS = 8 * 1024 * 1024;

/**
 * Serialised answers of document reads by version. A version never changes (a delete or rollback is a new version),
 * so `tenant + key + version + contentHash` names its answer forever; hot documents are then sent without
 * `JSON.stringify` of their value on every read. Bounded by size; the oldest answers leave first.
 */
function createBodyCache(maxChars: number) {
  const bodies = new Map<string, string>();
  let chars = 0;
  return (tenant: string, version: ContextVersion): string => {
    const id = `${tenant}\n${version.key}\n${version.version}\n${version.contentHash}`;
    const cached = bodies.get(id);
    if (cached !== undefined) return cached;
    const body = JSON.stringify(versionBody(version));
    if (body.length > maxChars / 16) return body;
    bodies.set(id, body);
    chars += body.length;
    for (const [oldest, oldBody] of bodies) {
      if (chars <= maxChars) break;
      bodies.delete(oldest);
      chars -= oldBody.length;
    }
    return body;
  };
}

function onlyFor(query: ReadQuery, allowed: readonly string[], what: string): void {
  const extra = Object.keys(query).filter((name) => query[name] !== undefined && !allowed.includes(name));
  if (extra.length > 0) {
    throw new ValidationError(
      `Invalid query string: ${extra.join(', ')} ${extra.length === 1 ? 'does' : 'do'} not apply to ${what}.`,
      {
        code: 'invalid_request',
      },
    );
  }
}

/**
 * GET contexts (list keys), and one wildcard GET for contexts/:key, contexts/:key/versions and
 * contexts/:key/diff (see context-path.ts for how the suffix is told apart from the key).
 */
export const contextReadRoutes: RoutePlugin = async (app, { engine }) => {
  const documentBody = createBodyCache(BODY_CACHE_CHARS);
  app.get(
    '/v1/tenants/:tenant/contexts',
    {
      config: { access: 'read', emitsEvents: false },
      schema: {
        tags,
        summary: 'List keys (current, non-deleted), ordered by key',
        params: tenantParamsSchema,
        querystring: listContextsQuerySchema,
        response: { 200: pageOf(keySummarySchema), ...problemResponses },
      },
    },
    async (request) => engine.contexts.list(request.params.tenant, request.query),
  );

  app.get(
    KEY_ROUTE,
    {
      config: { access: 'read', emitsEvents: false },
      schema: {
        tags,
        summary:
          'Read a document (current, ?version=N or ?asOf=ISO); …/versions lists its history; …/diff?from=&to= diffs two versions',
        description:
          'A path ending in /versions or /diff addresses the history or diff of the key before it. To read a key whose last ' +
          'segment is literally "versions" or "diff", percent-encode the slash before it (a%2Fversions).',
        params: contextParamsSchema,
        querystring: readQuerySchema,
        response: {
          200: contextVersionSchema.or(pageOf(contextVersionSchema)).or(diffSchema),
          304: z.null().describe('Not modified (If-None-Match names the current version)'),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const { tenant } = request.params;
      const query = request.query;
      const target = contextTarget(request.url, ['versions', 'diff']);
      if (target.suffix === 'versions') {
        request.metricsRoute = `${KEY_ROUTE}/versions`;
        onlyFor(query, ['cursor', 'limit'], 'a history');
        const page = await engine.contexts.history(tenant, target.key, { cursor: query.cursor, limit: query.limit });
        return { items: page.items.map(versionBody), ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) };
      }
      if (target.suffix === 'diff') {
        request.metricsRoute = `${KEY_ROUTE}/diff`;
        onlyFor(query, ['from', 'to'], 'a diff');
        if (query.from === undefined || query.to === undefined) {
          throw new ValidationError('Invalid query string: a diff needs both from and to (version numbers).', {
            code: 'invalid_request',
          });
        }
        return engine.contexts.diff(tenant, target.key, query.from, query.to);
      }
      onlyFor(query, ['version', 'asOf'], 'reading a document');
      const version = await engine.contexts.get(tenant, target.key, { version: query.version, asOf: query.asOf });
      reply.header('etag', etagOf(version.version));
      if (notModified(request, version.version)) return reply.code(304).send(null);
      // Already serialised (the schema-typed reply only takes objects): sent as it is.
      return (reply as FastifyReply).type(JSON_TYPE).send(documentBody(tenant, version));
    },
  );
};
