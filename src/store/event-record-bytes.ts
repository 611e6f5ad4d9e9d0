import type { EventRecord } from '../core/event-context.js';

/** Bytes of the fixed-size parts of a stored context: the ref's 12 hash bytes and four 8-byte integers (depth, time, two id keys). */
export const FIXED_EVENT_RECORD_BYTES = 12 + 4 * 8;

const utf8 = (text: string | null): number => (text === null ? 0 : Buffer.byteLength(text, 'utf8'));

/**
 * What one context takes in the cold tier, approximately: its text columns in UTF-8 (ids, custom fields and data as
 * JSON) plus the fixed-size parts — without index entries and page overhead. Every backend counts it the same way.
 */
export function eventRecordBytes(record: EventRecord): number {
  return eventRecordBytesOfJson(
    record,
    JSON.stringify(record.context.custom),
    record.data === null ? null : JSON.stringify(record.data),
  );
}

/**
 * `eventRecordBytes` from the custom fields and data already encoded as JSON (`JSON.stringify`, as the SQL store
 * binds them): a store that has the text at hand counts without serialising every record a second time.
 */
export function eventRecordBytesOfJson(record: EventRecord, customJson: string, dataJson: string | null): number {
  const { context } = record;
  return (
    FIXED_EVENT_RECORD_BYTES +
    utf8(record.tenantId) +
    utf8(record.ref) +
    utf8(record.event) +
    utf8(context.eventId) +
    utf8(context.correlationId) +
    utf8(context.parentEventId) +
    utf8(context.rootEventId) +
    utf8(context.agentId) +
    utf8(context.clientId) +
    utf8(context.sessionId) +
    utf8(context.originator) +
    utf8(context.traceId) +
    utf8(context.spanId) +
    utf8(customJson) +
    utf8(dataJson)
  );
}
