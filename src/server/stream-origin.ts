import { hostNameOf, isAllowedOrigin } from './loopback.js';

/**
 * Whether a browser `Origin` may open a stream (WebSocket upgrade, SSE): no Origin (not a browser), the same origin
 * as the `Host` it connects to, a configured allowed origin, or a loopback origin. Cross-site WebSocket hijacking is
 * refused even with API keys, since a browser attaches no key a page could not read anyway only for same-origin use.
 */
export function isStreamOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (allowedOrigins.some((allowed) => sameOrigin(allowed, url))) return true;
  if (host !== undefined && url.host.toLowerCase() === host.trim().toLowerCase()) return true;
  return isAllowedOrigin(origin, []) && (host === undefined || isLoopbackName(hostNameOf(host)));
}

function sameOrigin(allowed: string, url: URL): boolean {
  try {
    return new URL(allowed).origin === url.origin;
  } catch {
    return false;
  }
}

function isLoopbackName(name: string): boolean {
  return name === 'localhost' || name === '127.0.0.1' || name === '[::1]';
}
