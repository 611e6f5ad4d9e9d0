/**
 * The part of the OpenAI Chat Completions request the adapter writes (a minimal schema of the wire format;
 * openai-chat.test.ts checks it against the official `openai` types).
 */
export type OpenAIChatMessage =
  | { role: 'system'; content: string; name?: string }
  | { role: 'developer'; content: string; name?: string }
  | { role: 'user'; content: string; name?: string }
  | { role: 'assistant'; content: string; name?: string }
  | { role: 'tool'; content: string; tool_call_id: string };

/** Spread into `client.chat.completions.create({ model, ...request })`. */
export interface OpenAIChatRequest {
  messages: OpenAIChatMessage[];
}
