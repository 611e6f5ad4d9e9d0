import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform } from 'fastify-type-provider-zod';

const DOCS_PREFIX = '/docs';

/**
 * OpenAPI 3.1 generated from the zod schemas that validate the routes (GET /openapi.json), and Swagger UI
 * at /docs served from @fastify/swagger-ui's bundled assets (no network).
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Context Engine API',
        version,
        description:
          'Governed, versioned context documents with review. Errors are RFC 9457 problem+json. Context keys contain slashes; ' +
          'on GET, a path ending in /versions or /diff addresses the history or diff of the key before it, and POST …/rollback ' +
          'rolls back; percent-encode the last slash (a%2Fversions) to read a key whose last segment is literally "versions" or "diff".',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key: ctx_<id>_<secret>' } },
      },
      security: [{ bearer: [] }],
    },
    transform: createJsonSchemaTransform({
      skipList: [
        '/openapi.json',
        `${DOCS_PREFIX}/`,
        `${DOCS_PREFIX}/*`,
        `${DOCS_PREFIX}/json`,
        `${DOCS_PREFIX}/yaml`,
        `${DOCS_PREFIX}/static/*`,
      ],
    }),
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, uiConfig: { url: '/openapi.json' } as Record<string, unknown> });
  app.get('/openapi.json', { schema: { hide: true } as Record<string, unknown>, config: { rateLimit: false } }, async () =>
    app.swagger(),
  );
}
