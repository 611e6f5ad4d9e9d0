import { ValidationError } from '../../../core/errors.js';
import { type InjectionFilter, PASS, reject } from './injection-filter.js';

export interface TokenLimitFilterOptions {
  /** Most tokens one injection may carry. */
  maxPerDelivery?: number;
  /** Most tokens injected into the stream within `windowMs`. */
  maxPerWindow?: number;
  /** Window of `maxPerWindow` (default 60 s). */
  windowMs?: number;
  /** Deliveries remembered for the window (default 256; older ones are forgotten early, which only loosens the limit). */
  maxEntries?: number;
}

/** Rejects injections too large for one delivery (`filtered:token-limit:delivery`) or for the window (`…:window`). */
export function tokenLimitFilter(options: TokenLimitFilterOptions): InjectionFilter {
  const windowMs = options.windowMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 256;
  if (options.maxPerDelivery === undefined && options.maxPerWindow === undefined) {
    throw new ValidationError('token limit needs maxPerDelivery or maxPerWindow');
  }
  const spent: Array<{ at: number; tokens: number }> = [];
  const spentSince = (now: number) => {
    while (spent.length > 0 && now - (spent[0]?.at ?? now) >= windowMs) spent.shift();
    return spent.reduce((sum, entry) => sum + entry.tokens, 0);
  };
  return {
    name: 'token-limit',
    check(injection, { now }) {
      if (options.maxPerDelivery !== undefined && injection.tokens > options.maxPerDelivery) {
        return reject('token-limit', 'delivery');
      }
      if (options.maxPerWindow !== undefined && spentSince(now) + injection.tokens > options.maxPerWindow) {
        return reject('token-limit', 'window');
      }
      return PASS;
    },
    record(injection, { now }) {
      spent.push({ at: now, tokens: injection.tokens });
      if (spent.length > maxEntries) spent.shift();
    },
  };
}
