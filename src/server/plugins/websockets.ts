import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';

/** Largest WebSocket frame a client may send (a stream message of up to 100,000 characters, in UTF-8). */
const MAX_FRAME_BYTES = 512 * 1024;

/**
 * WebSocket support for every route that declares `websocket: true` (event subscriptions, injection streams),
 * registered once at the root so one upgrade handler serves them all.
 */
export async function registerWebSockets(app: FastifyInstance): Promise<void> {
  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  // An upgrade refused before @fastify/websocket's own hooks ran (auth, host guard, rate limit, origin answer first)
  // still holds its socket: end it once the refusal is sent, or the server could never close.
  app.addHook('onResponse', (request, reply, done) => {
    if (request.headers.upgrade?.toLowerCase() === 'websocket' && reply.statusCode !== 101 && !request.ws)
      request.raw.socket.destroy();
    done();
  });
}
