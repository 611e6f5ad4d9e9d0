import type { FastifyReply } from 'fastify';
import { ValidationError } from '../../core/errors.js';
import { problemResponses, problemSchema, tenantParamsSchema } from '../schemas/common-schemas.js';
import { exportQuerySchema, importQuerySchema, runParamsSchema, runSchema } from '../schemas/run-schemas.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['runs'];
const FILE_TYPES = ['application/gzip', 'application/octet-stream'];

/** GET runs/:id/export (the export file) and POST runs/import (a file, as application/gzip, octet-stream or JSON). */
export const runTransferRoutes: RoutePlugin = async (app, { engine }) => {
  const bodyLimit = engine.config.runs.maxImportBytes;
  // Scoped to this plugin: only the import route reads raw files.
  app.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));

  app.get(
    '/v1/tenants/:tenant/runs/:id/export',
    {
      config: { access: 'read' },
      schema: {
        tags,
        summary: 'Download a run as a self-describing export file (gzip JSON with a sha256; ?compression=false: plain JSON)',
        params: runParamsSchema,
        querystring: exportQuerySchema,
        response: problemResponses,
      },
    },
    async (request, reply) => {
      const { tenant, id } = request.params;
      const compression = request.query.compression === undefined ? undefined : request.query.compression === 'true';
      const file = await engine.runs.exportRun(tenant, id, { compression });
      const gzip = file[0] === 0x1f && file[1] === 0x8b;
      reply
        .type(gzip ? 'application/gzip' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="${id}.run.json${gzip ? '.gz' : ''}"`);
      // A binary body: no response schema applies (Fastify sends buffers as they are).
      return (reply as FastifyReply).send(file);
    },
  );

  app.post(
    '/v1/tenants/:tenant/runs/import',
    {
      bodyLimit,
      config: { access: 'write' },
      schema: {
        tags,
        summary: 'Import a run export (the whole file is checked before anything is written); ?newId=true for a copy',
        params: tenantParamsSchema,
        querystring: importQuerySchema,
        response: { 201: runSchema, 409: problemSchema, 413: problemSchema, 415: problemSchema, ...problemResponses },
      },
    },
    async (request, reply) => {
      const body: unknown = request.body;
      let file: Uint8Array;
      if (Buffer.isBuffer(body)) file = body;
      else if (typeof body === 'object' && body !== null) file = Buffer.from(JSON.stringify(body), 'utf8');
      else {
        throw new ValidationError(
          'Send the export file as the body (application/gzip, application/octet-stream or application/json).',
          {
            code: 'invalid_run_export',
          },
        );
      }
      const run = await engine.runs.importRun(request.params.tenant, file, { newId: request.query.newId === 'true' });
      reply.code(201).header('location', `/v1/tenants/${run.tenantId}/runs/${run.id}`);
      return run;
    },
  );
};
