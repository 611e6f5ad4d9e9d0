import type { ContextPacket, PacketMetadata } from '../core/injection.js';
import type { RuleFiring } from './rules/evaluate-rules.js';

/** The stream a rule fired in, as a packet builder needs it. */
export interface FiringScope {
  tenantId: string;
  sessionId: string;
  /** The latest user message (the default query of an `assemble` rule). */
  lastUserText: string;
}

/** A packet and, for an assembly, its rendered data text. */
export interface BuiltPacket {
  packet: ContextPacket;
  text?: string | undefined;
}

/** Assembles the context of an `assemble` rule (the engine's assembler, scoped to the stream's session). */
export type RulePacketBuilder = (request: {
  tenantId: string;
  sessionId: string;
  query: string;
  budget?: number | undefined;
}) => Promise<BuiltPacket>;

/** The query an assembly runs with when neither the rule nor the conversation gives one. */
export const FALLBACK_QUERY = 'current conversation';

/**
 * The packet a fired rule injects: its fixed packet, or an assembly (asynchronous), with the rule's metadata:
 * priority, criticality, TTL, deadline, `source: rule:<id>` and the reason it fired as its condition.
 */
export function rulePacket(
  firing: RuleFiring,
  scope: FiringScope,
  assemble: RulePacketBuilder,
): BuiltPacket | Promise<BuiltPacket> {
  const { rule, reason } = firing;
  const { inject } = rule;
  const metadata: PacketMetadata = {
    priority: rule.priority,
    criticality: inject.criticality,
    source: `rule:${rule.id}`,
    conditions: [reason],
    ...(inject.ttlMs !== undefined ? { ttlMs: inject.ttlMs } : {}),
    ...(inject.deadlineMs !== undefined ? { deadlineMs: inject.deadlineMs } : {}),
  };
  if (inject.packet !== undefined) return { packet: { ...inject.packet, metadata } };
  const query = inject.assemble?.query ?? (scope.lastUserText.trim() === '' ? FALLBACK_QUERY : scope.lastUserText);
  return assemble({ tenantId: scope.tenantId, sessionId: scope.sessionId, query, budget: inject.assemble?.budget }).then(
    ({ packet, text }) => ({ packet: { ...packet, metadata }, text }),
  );
}
