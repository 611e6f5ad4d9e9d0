import { toolAsTextWarning, toolOutputText } from '../conversation-parts.js';
import type { ProviderInput, ProviderResult } from '../provider-format.js';
import { contextText } from '../render-sections.js';
import type { OpenAIResponsesInputItem, OpenAIResponsesRequest } from './openai-responses-api.js';

/**
 * OpenAI Responses: the context as `instructions`, the conversation as input messages; a tool message becomes a
 * `function_call_output` when it has a toolCallId, else user text with a warning.
 */
export function renderOpenAIResponses(input: ProviderInput): ProviderResult<OpenAIResponsesRequest> {
  const warnings: string[] = [];
  const items: OpenAIResponsesInputItem[] = input.messages.map((message, index) => {
    if (message.role !== 'tool') return { type: 'message', role: message.role, content: message.content };
    if (message.toolCallId !== undefined)
      return { type: 'function_call_output', call_id: message.toolCallId, output: message.content };
    warnings.push(toolAsTextWarning(message, index, 'no toolCallId'));
    return { type: 'message', role: 'user', content: toolOutputText(message) };
  });
  return { request: { instructions: contextText(input), input: items }, warnings };
}
