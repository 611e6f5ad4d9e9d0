import {
  addKnowledgeBodySchema,
  knowledgeAddResponseSchema,
  knowledgeItemIdSchema,
  knowledgeRemoveResponseSchema,
  knowledgeSearchInputSchema,
  knowledgeSearchResponseSchema,
} from '../../knowledge/knowledge-schemas.js';
import type { KnowledgeItemInput, KnowledgeSearchInput } from '../../knowledge/knowledge-service.js';
import { problemResponses, tenantParamsSchema } from '../schemas/common-schemas.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['knowledge'];
const itemParamsSchema = tenantParamsSchema.extend({ id: knowledgeItemIdSchema });

/** The knowledge layer: add (chunked, embedded), remove, search (hybrid, lexical, vector; metadata filters). */
export const knowledgeRoutes: RoutePlugin = async (app, { engine }) => {
  app.post(
    '/v1/tenants/:tenant/knowledge',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Add or replace knowledge items (long texts are chunked with overlap); all or none',
        params: tenantParamsSchema,
        body: addKnowledgeBodySchema,
        response: { 201: knowledgeAddResponseSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const result = await engine.knowledge.add(request.params.tenant, request.body.items as KnowledgeItemInput[]);
      return reply.code(201).send(result);
    },
  );

  app.delete(
    '/v1/tenants/:tenant/knowledge/:id',
    {
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Remove a knowledge item and its chunks',
        params: itemParamsSchema,
        response: { 200: knowledgeRemoveResponseSchema, ...problemResponses },
      },
    },
    async (request) => engine.knowledge.remove(request.params.tenant, request.params.id),
  );

  app.post(
    '/v1/tenants/:tenant/knowledge/search',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Search knowledge: hybrid (reciprocal rank fusion), lexical (BM25) or vector (cosine); then the threshold',
        params: tenantParamsSchema,
        body: knowledgeSearchInputSchema,
        response: { 200: knowledgeSearchResponseSchema, ...problemResponses },
      },
    },
    async (request) => engine.knowledge.search(request.params.tenant, request.body as KnowledgeSearchInput),
  );
};
