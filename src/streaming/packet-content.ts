import type { ContextPacket } from '../core/injection.js';
import type { JsonObject } from '../core/json.js';
import { canonicalJson, sha256Hex } from '../updates/content-hash.js';

/** The content of a packet without its metadata: only the parts that are present. */
export function packetContent(packet: ContextPacket): JsonObject {
  const content: JsonObject = {};
  if (packet.information !== undefined) content.information = packet.information;
  if (packet.strategy !== undefined) content.strategy = packet.strategy;
  if (packet.attention !== undefined) content.attention = packet.attention;
  return content;
}

/** Canonical JSON of the packet's content: the same content always gives the same text. */
export function packetContentText(packet: ContextPacket): string {
  return canonicalJson(packetContent(packet));
}

/** sha256 (hex) of the packet's canonical content, metadata excluded: the dedup key of an injection. */
export function packetContentHash(packet: ContextPacket): string {
  return sha256Hex(packetContentText(packet));
}
