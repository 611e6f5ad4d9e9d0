import { z } from 'zod';
import { versionBody } from '../../contexts/version-view.js';
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
  app.get(
    '/v1/tenants/:tenant/contexts',
    {
      config: { access: 'read' },
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
      config: { access: 'read' },
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
      return versionBody(version);
    },
  );
};
