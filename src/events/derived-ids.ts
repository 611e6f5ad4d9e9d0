import { createHash } from 'node:crypto';

/** 0-padded hex of sha256(parts), cut to `length` digits; never all zeros (W3C forbids zero ids). */
function digest(parts: readonly string[], length: number): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, length);
  return /^0+$/.test(hex) ? `${'0'.repeat(length - 1)}1` : hex;
}

/**
 * The span id of an event whose id the caller chose: derived from its trace and id instead of drawn at random, so
 * that emitting the same event again (a retry, with the same id, timestamp and parent) gives the identical context,
 * which then shares one reference (content addressing) instead of storing a near copy.
 */
export function derivedSpanId(traceId: string, eventId: string): string {
  return digest(['span', traceId, eventId], 16);
}

/** The trace id of a new root event whose id the caller chose (per tenant: two tenants' `evt_1` are two traces). */
export function derivedTraceId(tenantId: string, eventId: string): string {
  return digest(['trace', tenantId, eventId], 32);
}
