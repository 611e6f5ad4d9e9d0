import type { ContextPacket, ConversationMessage } from '../core/injection.js';

/** Every format the provider adapters render (the library's list). */
export const PROVIDER_FORMATS = [
  'openai-chat',
  'openai-responses',
  'openai-realtime',
  'anthropic',
  'gemini',
  'ai-sdk',
  'text',
  'xml',
] as const;
export type ProviderFormat = (typeof PROVIDER_FORMATS)[number];

/** The formats `POST …/assemble` accepts (issue 6): request/response APIs only. */
export const ASSEMBLE_FORMATS = ['openai-chat', 'openai-responses', 'anthropic', 'gemini', 'ai-sdk', 'text'] as const;
export type AssembleFormat = (typeof ASSEMBLE_FORMATS)[number];

/** What every adapter renders: a packet, optionally its already-rendered information, and the conversation. */
export interface ProviderInput {
  packet: ContextPacket;
  /**
   * The information section as already-rendered data (an assembly's `text`, which carries its own preamble and
   * provenance tags). When present it replaces the rendering of `packet.information`.
   */
  text?: string | undefined;
  /** The conversation so far, oldest first. */
  messages: readonly ConversationMessage[];
}

/** Options some adapters read; the others ignore them. */
export interface ProviderOptions {
  /** openai-chat: the role of the leading context message (default `system`). */
  role?: 'system' | 'developer' | undefined;
}

/** An adapter's answer: the provider-native fragment to spread into the SDK call, and what the conversion lost. */
export interface ProviderResult<Request> {
  request: Request;
  warnings: string[];
}
