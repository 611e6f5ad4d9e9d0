import type { ContextPacket, Criticality, Injection, SyncPoint } from '../core/injection.js';
import { type ProviderFormat, renderForProvider } from '../providers/index.js';

/** What a stream's consumer receives for one injection (WebSocket frame, SSE event, HTTP answer item). */
export interface InjectionMessage {
  type: 'injection';
  id: string;
  ruleId?: string | undefined;
  criticality: Criticality;
  priority: number;
  at: SyncPoint;
  packet: ContextPacket;
  /** The packet rendered in the stream's provider format (e.g. `{ text }`, `{ messages }`, Realtime events). */
  rendered: unknown;
  warnings?: string[] | undefined;
}

/** Renders an injection for its consumer; `text` is an assembly's rendered data when the packet is one. */
export function injectionMessage(injection: Injection, format: ProviderFormat, text?: string): InjectionMessage {
  const { packet } = injection;
  const { request, warnings } = renderForProvider(format, { packet, text, messages: [] });
  return {
    type: 'injection',
    id: injection.id,
    ...(injection.ruleId !== undefined ? { ruleId: injection.ruleId } : {}),
    criticality: packet.metadata.criticality,
    priority: packet.metadata.priority,
    at: injection.at,
    packet,
    rendered: request,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
