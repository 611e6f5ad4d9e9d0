import { ValidationError } from '../core/errors.js';
import type { EventContext } from '../core/event-context.js';
import { contextHash } from './context-hash.js';
import type { ContextRefParts } from './context-ref-parts.js';
import { canonicalCustom } from './custom-fields.js';

/** `ctx_<kind>_<agent>_` of recent (event name, agent) pairs: a stream repeats a few of them. Bounded, then reset. */
const prefixes = new Map<string, Map<string | null, string>>();
const MAX_CACHED_PREFIXES = 4096;
let cachedPrefixes = 0;

/** The readable part of a reference, `ctx_<kind>_<agent>_`, computed once per (event name, agent). */
function refPrefix(eventName: string, agentId: string | null): string {
  let byAgent = prefixes.get(eventName);
  let prefix = byAgent?.get(agentId);
  if (prefix !== undefined) return prefix;
  if (cachedPrefixes >= MAX_CACHED_PREFIXES) {
    prefixes.clear();
    cachedPrefixes = 0;
    byAgent = undefined;
  }
  if (byAgent === undefined) {
    byAgent = new Map();
    prefixes.set(eventName, byAgent);
  }
  prefix = `ctx_${refKind(eventName)}_${refAgent(agentId)}_`;
  byAgent.set(agentId, prefix);
  cachedPrefixes += 1;
  return prefix;
}

/** `ctx_<kind>_<agent>_<hash>`: kind and agent are readable hints; the 24 hex digits address the context. */
export const CONTEXT_REF_PATTERN = /^ctx_([a-z0-9]{1,24})_([a-z0-9_]{1,32})_([0-9a-f]{24})$/;
export const CONTEXT_REF_HASH_LENGTH = 24;
const MAX_REF_LENGTH = 4 + 24 + 1 + 32 + 1 + CONTEXT_REF_HASH_LENGTH;

/** The kind part of a reference: the event name's first segment (`completion:request` → `completion`). */
export function refKind(eventName: string): string {
  const first = eventName.split(/[.:/]/, 1)[0] ?? '';
  const kind = first
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 24);
  return kind === '' ? 'event' : kind;
}

/** The agent part of a reference: the agent id made safe (`analyst-agent` → `analyst_agent`), `system` when none. */
export function refAgent(agentId: string | null): string {
  if (agentId === null) return 'system';
  const agent = agentId
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 32);
  return agent === '' ? 'system' : agent;
}

/**
 * The content address of a context in a tenant: equal contexts (and names) give equal references. `customText` is
 * `canonicalCustom(context.custom)` when the caller has it already (the router does), computed here otherwise;
 * `parts` receives the reference with its prefix and hash words (for the hot tier).
 */
export function contextRefOf(
  tenantId: string,
  eventName: string,
  context: EventContext,
  customText: string = canonicalCustom(context.custom),
  parts?: ContextRefParts,
): string {
  const prefix = refPrefix(eventName, context.agentId);
  const ref = prefix + contextHash(tenantId, eventName, context, customText, parts);
  if (parts !== undefined) {
    parts.ref = ref;
    parts.prefix = prefix;
  }
  return ref;
}

/** True when `value` has the shape of a context reference. */
export function isContextRef(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_REF_LENGTH && CONTEXT_REF_PATTERN.test(value);
}

/** Throws a ValidationError naming the bad reference. */
export function assertContextRef(value: unknown): string {
  if (!isContextRef(value)) {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeof value;
    throw new ValidationError(`${shown} is not a context reference (ctx_<kind>_<agent>_<24 hex digits>).`, {
      code: 'invalid_context_ref',
    });
  }
  return value;
}
