/**
 * The part of the OpenAI Responses request the adapter writes (checked against the official `openai` types in
 * openai-responses.test.ts).
 */
export type OpenAIResponsesInputItem =
  | { type: 'message'; role: 'user' | 'assistant' | 'system' | 'developer'; content: string }
  | { type: 'function_call_output'; call_id: string; output: string };

/** Spread into `client.responses.create({ model, ...request })`. */
export interface OpenAIResponsesRequest {
  /** The context; Responses does not carry instructions over `previous_response_id`, so send them every turn. */
  instructions: string;
  input: OpenAIResponsesInputItem[];
}
