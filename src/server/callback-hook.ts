import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

type HookBody = (request: FastifyRequest, reply: FastifyReply) => void | Promise<void>;

/**
 * Adapts a hook that is usually synchronous to Fastify's callback style: an `async` hook costs a promise and
 * extra microtask turns on every request, even when it has nothing to do. The body may still return a
 * promise for its slow path; a throw or a rejection becomes the request's error.
 */
export function callbackHook(body: HookBody) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    let result: void | Promise<void>;
    try {
      result = body(request, reply);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (result instanceof Promise) result.then(() => done(), done);
    else done();
  };
}
