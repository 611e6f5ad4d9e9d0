import { ValidationError } from '../core/errors.js';
import type { EventContext } from '../core/event-context.js';
import type { JsonValue } from '../core/json.js';
import { assertCustomFields, type CustomTextOut } from './custom-fields.js';
import { derivedSpanId, derivedTraceId } from './derived-ids.js';
import { assertIdentifier, type EmitContextInput, normalizeTimestamp } from './emit-input.js';
import { currentEventScope, type ParentFields } from './event-scope.js';
import { eventIdOfSpan, linkFromTraceHeaders, newSpanId, newTraceId } from './traceparent.js';

let lastMs = Number.NaN;
let lastIso = '';

/** The current time as ISO-8601 (bursts share a millisecond, so the last one is kept). */
function nowIso(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** Where a new event descends from, and in which tenant. */
export interface Lineage {
  tenantId: string;
  /** A scope's link, or an explicit parent context read as it is (not copied into a link). */
  link: ParentFields | undefined;
}

/**
 * Finds the parent of a new event: `parent` (explicit) > `traceparent` > the implicit scope. An implicit parent of
 * another tenant is ignored (the event starts a new chain).
 */
export function lineageOf(input: EmitContextInput): Lineage {
  const scope = currentEventScope();
  const tenantId = input.tenantId ?? scope?.link.tenantId;
  if (tenantId === undefined) {
    throw new ValidationError('An event needs a tenant: pass context.tenantId (or emit inside a handler or request of one).', {
      code: 'event_tenant_required',
    });
  }
  assertIdentifier('tenantId', tenantId, false);
  if (input.parent === null) return { tenantId, link: undefined };
  if (input.parent !== undefined) return { tenantId, link: input.parent };
  if (input.traceparent !== undefined) {
    const link = linkFromTraceHeaders(tenantId, { traceparent: input.traceparent, baggage: input.baggage });
    if (link === undefined) {
      throw new ValidationError(`${JSON.stringify(input.traceparent)} is not a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>).`, {
        code: 'invalid_traceparent',
      });
    }
    return { tenantId, link };
  }
  const link = scope?.link;
  // a request scope on an unprefixed path has no tenant yet: its route authorised the tenant
  const compatible = link !== undefined && (link.tenantId === undefined || link.tenantId === tenantId);
  return { tenantId, link: compatible ? link : undefined };
}

function inherit(field: string, given: string | null | undefined, inherited: string | null | undefined): string | null {
  return given === undefined ? (inherited ?? null) : assertIdentifier(field, given, true);
}

/**
 * The context of a new event: given fields, then what it inherits from its parent, then generated ids. A caller's
 * own `eventId` makes the ids deterministic (see derived-ids.ts): the same event emitted twice is one context.
 * `customText` receives the custom fields as canonical JSON (`canonicalCustom`), which reference and hot tier need.
 */
export function newContext(
  tenantId: string,
  input: EmitContextInput,
  link: ParentFields | undefined,
  maxCustomBytes: number,
  customText?: CustomTextOut,
): EventContext {
  let eventId: string;
  let traceId: string;
  let spanId: string;
  // a request's made-up trace and correlation are not the caller's: a chosen event id replaces them
  const invented = link?.eventId === null && input.eventId !== undefined ? link.invented : undefined;
  if (input.eventId === undefined) {
    spanId = newSpanId();
    eventId = eventIdOfSpan(spanId);
    traceId = link?.traceId ?? newTraceId();
  } else {
    eventId = assertIdentifier('eventId', input.eventId, false) as string;
    traceId = link === undefined || invented !== undefined ? derivedTraceId(tenantId, eventId) : link.traceId;
    spanId = derivedSpanId(traceId, eventId);
  }
  const inherited = link === undefined || invented?.correlation === true ? undefined : link.correlationId;
  return {
    eventId,
    correlationId:
      input.correlationId === undefined
        ? (inherited ?? `corr_${traceId}`)
        : (assertIdentifier('correlationId', input.correlationId, false) as string),
    parentEventId: link?.eventId ?? null,
    rootEventId: link?.rootEventId ?? link?.eventId ?? eventId,
    depth: link === undefined ? 0 : link.depth + 1,
    agentId: inherit('agentId', input.agentId, link?.agentId),
    clientId: inherit('clientId', input.clientId, link?.clientId),
    sessionId: inherit('sessionId', input.sessionId, link?.sessionId),
    originator: inherit('originator', input.originator, link?.originator),
    timestamp: input.timestamp === undefined ? nowIso() : normalizeTimestamp(input.timestamp),
    traceId,
    spanId,
    custom:
      input.custom === undefined ? noCustomFields(customText) : assertCustomFields(input.custom, maxCustomBytes, customText),
  };
}

/** A fresh `{}` (each context owns its custom fields), reported as `{}` canonical text. */
function noCustomFields(customText: CustomTextOut | undefined): { [key: string]: JsonValue } {
  if (customText !== undefined) customText.text = '{}';
  return {};
}
