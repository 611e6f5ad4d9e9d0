import type { EventRecord } from '../core/event-context.js';
import { MAX_PAGE_LIMIT, type Page } from '../core/page.js';
import type { EventContextQuery } from '../store/event-context-store.js';

/** The filters of a query (no bounds, no paging): which records a helper looks at. */
export type RecordScope = Omit<EventContextQuery, 'since' | 'until' | 'limit' | 'cursor'>;

/** Runs one query of the cold tier, oldest first (the gateway's, bound to a tenant). */
export type RecordQuery = (query: EventContextQuery) => Promise<Page<EventRecord>>;

/** The last instant an ISO-8601 timestamp with a four-digit year can name (9999-12-31T23:59:59.999Z). */
const LAST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const isoOf = (ms: number) => new Date(ms).toISOString();

/**
 * The newest `count` records of a scope, oldest first, from a store that only pages oldest first: a binary search over
 * `since` (each probe one indexed query of at most `count` rows) finds the latest instant with at least `count`
 * records at or after it, then that tail is read. About 30–50 small queries, however many records the scope holds.
 */
export async function latestRecords(
  query: RecordQuery,
  scope: RecordScope,
  count: number,
  now: number = Date.now(),
): Promise<EventRecord[]> {
  const first = await query({ ...scope, limit: count });
  const oldest = first.items[0];
  if (first.nextCursor === undefined || oldest === undefined) return first.items;
  const holdsCount = async (ms: number) => (await query({ ...scope, since: isoOf(ms), limit: count })).items.length >= count;
  // invariant: at least `count` records at or after `low`, fewer at or after `high`
  let low = Date.parse(oldest.context.timestamp);
  let high = LAST_INSTANT_MS + 1;
  // one probe at `now` first: usually the records lie in the past and the search spans their age, not 8,000 years
  if (now > low && now < high) {
    if (await holdsCount(now)) low = now;
    else high = now;
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (await holdsCount(middle)) low = middle;
    else high = middle;
  }
  // fewer than `count` records after `low`, plus those at exactly `low`
  const tail: EventRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await query({ ...scope, since: isoOf(low), cursor, limit: MAX_PAGE_LIMIT });
    tail.push(...page.items);
    if (tail.length > count) tail.splice(0, tail.length - count);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tail;
}
