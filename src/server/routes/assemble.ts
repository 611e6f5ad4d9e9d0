import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { z } from 'zod';
import { type AssembleInput, assembleRequestSchema } from '../../assembly/assemble-schemas.js';
import {
  assemblyParamsSchema,
  assemblyRecordSchema,
  assemblyResultSchema,
  contextMetricsSchema,
  replayResultSchema,
} from '../schemas/assembly-schemas.js';
import { problemResponses, tenantParamsSchema } from '../schemas/common-schemas.js';
import type { RoutePlugin } from './route-types.js';

const tags = ['assembly'];

/** The assembly, plus the provider request fragment and its warnings when the body named a `format`. */
const assembleAnswerSchema = assemblyResultSchema.extend({
  request: z.unknown().optional().describe('The provider-native fragment to spread into that SDK call (see docs/providers.md)'),
  warnings: z.array(z.string()).optional().describe('What the conversion to the provider format lost'),
});

/** Prometheus figures of the assembler (no tenant labels: /metrics is public). */
function registerAssemblyMetrics(
  registry: Registry,
  subscribe: Parameters<RoutePlugin>[1]['engine']['assembler']['metrics']['subscribe'],
) {
  const assemblies = new Counter({
    name: 'ctx_assemblies_total',
    help: 'Assemblies by cache outcome (cached="true" is a hit)',
    labelNames: ['cached'] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'ctx_assembly_tokens_total',
    help: 'Tokens of assembled texts by layer (total includes the framing)',
    labelNames: ['layer'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ctx_assembly_duration_seconds',
    help: 'Assembly latency by cache outcome',
    labelNames: ['cached'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [registry],
  });
  let hits = 0;
  let total = 0;
  new Gauge({
    name: 'ctx_assembly_cache_hit_ratio',
    help: 'Share of assemblies answered from the cache since this instance started (0 before the first)',
    registers: [registry],
    collect() {
      this.set(total === 0 ? 0 : hits / total);
    },
  });
  const layers = ['session', 'journey', 'knowledge', 'documents', 'total'] as const;
  return subscribe((sample) => {
    total += 1;
    if (sample.cached) hits += 1;
    const cached = String(sample.cached);
    assemblies.inc({ cached });
    duration.observe({ cached }, sample.durationMs / 1000);
    for (const layer of layers) tokens.inc({ layer }, sample.tokens[layer]);
  });
}

/** POST assemble, GET assemblies/:id, POST assemblies/:id/replay, GET metrics/context; figures in /metrics. */
export function assemblyRoutes(registry: Registry): RoutePlugin {
  return async (app, { engine }) => {
    const unsubscribe = registerAssemblyMetrics(registry, (listener) => engine.assembler.metrics.subscribe(listener));
    app.addHook('onClose', async () => unsubscribe());

    app.post(
      '/v1/tenants/:tenant/assemble',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'Assemble session, journey, knowledge and named documents under a token budget, with a manifest',
          params: tenantParamsSchema,
          body: assembleRequestSchema,
          response: { 200: assembleAnswerSchema, ...problemResponses },
        },
      },
      async (request) => engine.assembler.assemble(request.params.tenant, request.body as AssembleInput),
    );

    app.get(
      '/v1/tenants/:tenant/assemblies/:id',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'A past assembly: its request and manifest with the exact versions used',
          params: assemblyParamsSchema,
          response: { 200: assemblyRecordSchema, ...problemResponses },
        },
      },
      async (request) => engine.assembler.get(request.params.tenant, request.params.id),
    );

    app.post(
      '/v1/tenants/:tenant/assemblies/:id/replay',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: 'Rebuild the identical text of a past assembly from the recorded versions',
          params: assemblyParamsSchema,
          response: { 200: replayResultSchema, ...problemResponses },
        },
      },
      async (request) => engine.assembler.replay(request.params.tenant, request.params.id),
    );

    app.get(
      '/v1/tenants/:tenant/metrics/context',
      {
        config: { access: 'read' },
        schema: {
          tags,
          summary: "This instance's assembly figures for the tenant: tokens per layer, cache hit rate, latency",
          params: tenantParamsSchema,
          response: { 200: contextMetricsSchema, ...problemResponses },
        },
      },
      async (request) => engine.assembler.contextMetrics(request.params.tenant),
    );
  };
}
