import type { ConversationMessage } from '../../core/injection.js';
import { messageLabel, toolAsTextWarning, toolOutputText } from '../conversation-parts.js';
import type { ProviderInput, ProviderOptions, ProviderResult } from '../provider-format.js';
import { contextText } from '../render-sections.js';
import type { OpenAIChatMessage, OpenAIChatRequest } from './openai-chat-api.js';

/** OpenAI accepts a participant name only in this shape. */
const NAME = /^[A-Za-z0-9_-]{1,64}$/;

function convert(message: ConversationMessage, index: number, warnings: string[]): OpenAIChatMessage {
  if (message.role === 'tool') {
    if (message.toolCallId !== undefined) return { role: 'tool', content: message.content, tool_call_id: message.toolCallId };
    warnings.push(toolAsTextWarning(message, index, 'no toolCallId'));
    return { role: 'user', content: toolOutputText(message) };
  }
  if (message.name === undefined) return { role: message.role, content: message.content };
  if (NAME.test(message.name)) return { role: message.role, content: message.content, name: message.name };
  warnings.push(`${messageLabel(message, index)}: name does not match ${NAME.source}; left out`);
  return { role: message.role, content: message.content };
}

/**
 * OpenAI Chat Completions: the context as one leading `system` (or `developer`) message, then the conversation
 * unchanged. The context never merges into a user message.
 */
export function renderOpenAIChat(input: ProviderInput, options: ProviderOptions = {}): ProviderResult<OpenAIChatRequest> {
  const warnings: string[] = [];
  const context = contextText(input);
  const messages: OpenAIChatMessage[] = context === '' ? [] : [{ role: options.role ?? 'system', content: context }];
  input.messages.forEach((message, index) => {
    messages.push(convert(message, index, warnings));
  });
  return { request: { messages }, warnings };
}
