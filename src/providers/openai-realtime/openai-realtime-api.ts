/**
 * The OpenAI Realtime client events the adapter writes (checked against the official `openai` types in
 * openai-realtime.test.ts). They are sent as JSON text frames over the Realtime WebSocket, in order.
 */
export type OpenAIRealtimeItem =
  | { type: 'message'; role: 'user'; content: Array<{ type: 'input_text'; text: string }> }
  | { type: 'message'; role: 'assistant'; content: Array<{ type: 'output_text'; text: string }> }
  | { type: 'function_call_output'; call_id: string; output: string };

export interface OpenAIRealtimeSessionUpdate {
  type: 'session.update';
  /** `instructions` replaces the session's instructions: it carries the application's own ones too. */
  session: { type: 'realtime'; instructions: string };
}

export interface OpenAIRealtimeItemCreate {
  type: 'conversation.item.create';
  item: OpenAIRealtimeItem;
}

export type OpenAIRealtimeEvent = OpenAIRealtimeSessionUpdate | OpenAIRealtimeItemCreate;

/** The events to send, in order: one `session.update`, then one `conversation.item.create` per message. */
export type OpenAIRealtimeRequest = OpenAIRealtimeEvent[];
