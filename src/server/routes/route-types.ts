import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Engine } from '../../engine.js';

/** What route groups need: the engine (its services timed for metrics). */
export interface RouteDeps {
  engine: Engine;
}

export type RoutePlugin = FastifyPluginAsyncZod<RouteDeps>;
