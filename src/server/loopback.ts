/** Loopback names: the only hosts an open-mode server answers to (DNS-rebinding guard). */

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '::ffff:127.0.0.1']);

/** True when a bind address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  if (LOOPBACK_NAMES.has(name) || name.endsWith('.localhost')) return true;
  return /^127(\.\d{1,3}){3}$/.test(name);
}

/** The host name of a `Host` header value (`localhost:8080` → `localhost`, `[::1]:80` → `[::1]`). */
export function hostNameOf(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

function isAllowedName(hostHeader: string, allowedHosts: readonly string[]): boolean {
  const name = hostNameOf(hostHeader);
  if (name === 'localhost' || name === '127.0.0.1' || name === '[::1]') return true;
  const full = hostHeader.trim().toLowerCase();
  return allowedHosts.some((allowed) => {
    const entry = allowed.trim().toLowerCase();
    return entry === full || entry === name;
  });
}

/** Open mode: the `Host` header must name this machine (or an explicitly allowed host). */
export function isAllowedHostHeader(hostHeader: string | undefined, allowedHosts: readonly string[]): boolean {
  if (hostHeader === undefined || hostHeader === '') return false;
  return isAllowedName(hostHeader, allowedHosts);
}

/** Open mode: an `Origin` header, when present, must be a loopback (or allowed) origin. */
export function isAllowedOrigin(origin: string, allowedHosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return isAllowedName(url.host, allowedHosts);
}
