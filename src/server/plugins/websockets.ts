import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';

/** Largest WebSocket frame a client may send (a stream message of up to 100,000 characters, in UTF-8). */
const MAX_FRAME_BYTES = 512 * 1024;

/**
 * WebSocket support for the routes `register` adds (event subscriptions, injection streams), in a scope of their
 * own: @fastify/websocket hooks every route of the scope it is registered in (a request hook, a response hook and a
 * handler wrapper), which the other routes do not need. One upgrade handler on the server still serves them all.
 */
export async function registerWebSocketRoutes(
  app: FastifyInstance,
  register: (scope: FastifyInstance) => Promise<void>,
): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
    await register(scope);
  });
}

/**
 * An upgrade refused before a WebSocket route took it (auth, host guard, rate limit or origin answered first, or the
 * path is not a WebSocket route) still holds its socket: end it once the refusal is sent, or the server could never
 * close. On every route.
 */
export function registerUpgradeCleanup(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    if (request.headers.upgrade?.toLowerCase() === 'websocket' && reply.statusCode !== 101 && !request.ws)
      request.raw.socket.destroy();
    done();
  });
}
