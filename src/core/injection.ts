import type { JsonObject, JsonValue } from './json.js';

/** How much an injection matters; decides its failure strategy (seed 003). */
export const CRITICALITIES = ['critical', 'important', 'helpful', 'optional'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

/** When a queued injection may be delivered: at the end of a turn (default), in a silence, or at once. */
export const SYNC_POINTS = ['turn-end', 'silence', 'immediate'] as const;
export type SyncPoint = (typeof SYNC_POINTS)[number];

/** The metadata of a context packet (seed 003's ContextMetadata). */
export interface PacketMetadata {
  /** Higher is delivered first and dropped last (0–100; default 50). */
  priority: number;
  criticality: Criticality;
  /** How long the packet stays worth delivering after it was prepared. */
  ttlMs?: number | undefined;
  /** Free-form conditions the packet was prepared under (e.g. the rule that fired). */
  conditions?: string[] | undefined;
  /** Provenance: who produced the packet (`assembler`, `rule:<id>`, `api`, …). */
  source: string;
  /** Deliver within this many milliseconds of preparation, or report it failed. */
  deadlineMs?: number | undefined;
}

/** One part of a packet: named values, rendered as data (never as instructions). */
export type PacketPart = JsonObject;

/** What gets delivered into a conversation: what to know, how to behave, what to focus on (seed 003). */
export interface ContextPacket {
  information?: PacketPart | undefined;
  strategy?: PacketPart | undefined;
  attention?: PacketPart | undefined;
  metadata: PacketMetadata;
}

/** The roles of a conversation as the provider adapters read it. */
export const CONVERSATION_ROLES = ['system', 'developer', 'user', 'assistant', 'tool'] as const;
export type ConversationRole = (typeof CONVERSATION_ROLES)[number];

/** One message of the conversation so far (provider-neutral). */
export interface ConversationMessage {
  role: ConversationRole;
  content: string;
  /** For `tool` messages: the call this message answers. */
  toolCallId?: string | undefined;
  name?: string | undefined;
}

/** What a client of a stream sends (WebSocket frames, `POST …/streams/:sessionId/events`). */
export type StreamInput =
  | { type: 'message'; role: 'user' | 'assistant' | 'system'; content: string }
  | { type: 'turn-start'; role?: 'user' | 'assistant' | undefined }
  | { type: 'turn-end'; role?: 'user' | 'assistant' | undefined }
  | { type: 'silence'; ms: number }
  | { type: 'sentence-end' }
  | { type: 'ack'; id: string }
  /** Event-driven injection: an application event (`on-demand`, `error`, …) with optional data. */
  | { type: 'event'; name: string; data?: JsonValue | undefined }
  /** Explicit state signals the client knows better than any detector. */
  | {
      type: 'state';
      user?: 'active' | 'idle' | 'confused' | undefined;
      system?: 'normal' | 'high-load' | 'error' | undefined;
      relationship?: 'new' | 'returning' | 'familiar' | undefined;
      conversation?: 'start' | 'middle' | 'end' | undefined;
    };

export type StreamInputType = StreamInput['type'];

/** A packet queued for one stream, waiting for its synchronization point. */
export interface Injection {
  id: string;
  tenantId: string;
  sessionId: string;
  /** The rule that prepared it, when a rule did. */
  ruleId?: string | undefined;
  packet: ContextPacket;
  at: SyncPoint;
  /** Epoch milliseconds. */
  preparedAt: number;
  /** Epoch milliseconds after which it is no longer delivered (from `ttlMs`). */
  expiresAt?: number | undefined;
  /** Epoch milliseconds by which it must be delivered or reported failed (from `deadlineMs`). */
  deadlineAt?: number | undefined;
  /** sha256 of the packet's canonical content (without metadata): the dedup filter's key. */
  contentHash: string;
  /** Tokens of the packet's rendered text, for the token-limit filter. */
  tokens: number;
}

/** How an injection ended; every outcome is counted. */
export const INJECTION_OUTCOMES = ['delivered', 'dropped', 'failed', 'expired', 'skipped', 'cancelled'] as const;
export type InjectionOutcome = (typeof INJECTION_OUTCOMES)[number];
