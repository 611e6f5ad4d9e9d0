import { z } from 'zod';
import { problemResponses, tenantParamsSchema } from '../schemas/common-schemas.js';
import type { RoutePlugin } from './route-types.js';

const statusSchema = z.object({
  documents: z.number().int(),
  versions: z.number().int(),
  pendingUpdates: z.number().int(),
  lastUpdateAt: z.string().nullable(),
  updatesBySource: z.record(z.string(), z.number().int()),
});

/** GET /v1/tenants/:tenant/status. */
export const statusRoutes: RoutePlugin = async (app, { engine }) => {
  app.get(
    '/v1/tenants/:tenant/status',
    {
      config: { access: 'read' },
      schema: {
        tags: ['status'],
        summary: 'Documents, versions, pending updates, last update time and updates by source',
        params: tenantParamsSchema,
        response: { 200: statusSchema, ...problemResponses },
      },
    },
    async (request) => {
      const stats = await engine.contexts.status(request.params.tenant);
      return {
        documents: stats.documents,
        versions: stats.versions,
        pendingUpdates: stats.pendingUpdates,
        lastUpdateAt: stats.lastUpdateAt,
        updatesBySource: stats.updatesBySource as Record<string, number>,
      };
    },
  );
};
