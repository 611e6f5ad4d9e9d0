import { messageLabel, splitInstructions, toolAsTextWarning, toolOutputText } from '../conversation-parts.js';
import type { ProviderInput, ProviderResult } from '../provider-format.js';
import { contextText } from '../render-sections.js';
import type { AiSdkMessage, AiSdkRequest } from './ai-sdk-api.js';

/** The tool name a tool result gets when its message names none (the AI SDK requires one). */
export const UNKNOWN_TOOL_NAME = 'unknown';

/**
 * Vercel AI SDK: `system` is the conversation's system/developer messages followed by the context (the SDK warns
 * about system messages inside `messages`); `messages` are `ModelMessage`s. A tool message becomes a tool result
 * when it has a toolCallId (its name, or `unknown` with a warning), else user text with a warning.
 */
export function renderAiSdk(input: ProviderInput): ProviderResult<AiSdkRequest> {
  const { instructions, conversation, warnings } = splitInstructions(input.messages, 'The AI SDK');
  const messages: AiSdkMessage[] = conversation.map(({ message, index }): AiSdkMessage => {
    if (message.role === 'assistant') return { role: 'assistant', content: message.content };
    if (message.role !== 'tool') return { role: 'user', content: message.content };
    if (message.toolCallId === undefined) {
      warnings.push(toolAsTextWarning(message, index, 'no toolCallId'));
      return { role: 'user', content: toolOutputText(message) };
    }
    if (message.name === undefined) warnings.push(`${messageLabel(message, index)}: no name; tool name "${UNKNOWN_TOOL_NAME}"`);
    const toolName = message.name ?? UNKNOWN_TOOL_NAME;
    const output = { type: 'text' as const, value: message.content };
    return { role: 'tool', content: [{ type: 'tool-result', toolCallId: message.toolCallId, toolName, output }] };
  });
  const context = contextText(input);
  return { request: { system: [...instructions, ...(context === '' ? [] : [context])].join('\n\n'), messages }, warnings };
}
