/**
 * The `ModelMessage`s of the Vercel AI SDK the adapter writes (checked against the official `ai` types in
 * ai-sdk.test.ts).
 */
export interface AiSdkToolResultPart {
  type: 'tool-result';
  toolCallId: string;
  toolName: string;
  output: { type: 'text'; value: string };
}

export type AiSdkMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string }
  | { role: 'tool'; content: AiSdkToolResultPart[] };

/** Spread into `generateText({ model, ...request })` or `streamText(…)`. */
export interface AiSdkRequest {
  system: string;
  messages: AiSdkMessage[];
}
