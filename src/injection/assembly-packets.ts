import type { Assembler } from '../assembly/assembler.js';
import type { ContextPacket } from '../core/injection.js';
import type { RulePacketBuilder } from './rule-packet.js';

/** The packet of an `assemble` rule: the engine's assembly of the stream's session (its packet and rendered text). */
export function assemblyPackets(assembler: Assembler): RulePacketBuilder {
  return async ({ tenantId, sessionId, query, budget }) => {
    const result = await assembler.assemble(tenantId, { query, sessionId, ...(budget !== undefined ? { budget } : {}) });
    return { packet: result.packet as unknown as ContextPacket, text: result.text };
  };
}
