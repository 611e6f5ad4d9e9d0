/**
 * The compact lookup keys of the cold tier's `event_contexts` rows (migration 0010): every randomly ordered index
 * entry costs a randomly placed page write per event, so the indexes hold short keys instead of the ids themselves.
 */

/** The 12 bytes of a reference's hash (`ctx_<kind>_<agent>_<24 hex digits>`); unique per tenant with the ref itself. */
export function refKeyOf(ref: string): Uint8Array {
  // a Buffer: both drivers bind it as a blob / bytea
  return Buffer.from(ref.slice(-24), 'hex');
}

/**
 * A 53-bit hash of an id (event or correlation id): the index narrows a lookup to a few rows, and the query
 * compares the id itself, so a collision costs one more row read, never a wrong answer. (cyrb53.)
 */
export function idKeyOf(id: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < id.length; index++) {
    const code = id.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Milliseconds since the epoch of a canonical ISO-8601 instant (contexts and query bounds are always canonical). */
export function epochMsOf(timestamp: string): number {
  return Date.parse(timestamp);
}

/** The canonical ISO-8601 instant of stored milliseconds (`bigint` columns come back as text from PostgreSQL). */
export function timestampOf(epochMs: number | string): string {
  return new Date(Number(epochMs)).toISOString();
}
