import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../../core/errors.js';
import { callbackHook } from '../callback-hook.js';
import type { KeyCountCache } from '../key-count-cache.js';
import { isAllowedHostHeader, isAllowedOrigin } from '../loopback.js';

export interface HostGuardOptions {
  /** True when the server listens on a loopback address only. */
  boundToLoopback: boolean;
  keyCount: KeyCountCache;
  allowedHosts: readonly string[];
}

/**
 * DNS-rebinding guard for open mode (no API keys, loopback bind): a page on another site can make a browser
 * send requests to 127.0.0.1, but its `Host` names the attacker's domain and its `Origin` is foreign.
 * Both are refused with 403. With keys, requests must authenticate anyway and the guard is off.
 */
export function registerHostGuard(app: FastifyInstance, options: HostGuardOptions): void {
  function check(request: FastifyRequest, hasKeys: boolean): void {
    if (hasKeys) return;
    if (!isAllowedHostHeader(request.headers.host, options.allowedHosts)) {
      throw new ForbiddenError(
        'This server runs without API keys and only answers requests addressed to localhost; add the host to server.allowedHosts or create an API key.',
        { code: 'host_not_allowed' },
      );
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !isAllowedOrigin(origin, options.allowedHosts)) {
      throw new ForbiddenError('This server runs without API keys and refuses cross-origin requests from non-loopback origins.', {
        code: 'origin_not_allowed',
      });
    }
  }
  app.addHook(
    'onRequest',
    callbackHook((request) => {
      if (!options.boundToLoopback) return;
      const known = options.keyCount.peek();
      if (known !== undefined) return check(request, known);
      return options.keyCount.hasKeys().then((hasKeys) => check(request, hasKeys));
    }),
  );
}
