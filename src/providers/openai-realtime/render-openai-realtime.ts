import { splitInstructions, toolAsTextWarning, toolOutputText } from '../conversation-parts.js';
import type { ProviderInput, ProviderResult } from '../provider-format.js';
import { contextText } from '../render-sections.js';
import type { OpenAIRealtimeEvent, OpenAIRealtimeItem, OpenAIRealtimeRequest } from './openai-realtime-api.js';

/**
 * OpenAI Realtime: a `session.update` whose `instructions` are the conversation's system/developer messages
 * followed by the context (an update replaces the session's instructions, so the application's own go with it),
 * then a `conversation.item.create` per remaining message.
 */
export function renderOpenAIRealtime(input: ProviderInput): ProviderResult<OpenAIRealtimeRequest> {
  const { instructions, conversation, warnings } = splitInstructions(input.messages, 'OpenAI Realtime');
  const context = contextText(input);
  const events: OpenAIRealtimeEvent[] = [
    {
      type: 'session.update',
      session: { type: 'realtime', instructions: [...instructions, ...(context === '' ? [] : [context])].join('\n\n') },
    },
  ];
  for (const { message, index } of conversation) {
    let item: OpenAIRealtimeItem;
    if (message.role === 'assistant')
      item = { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: message.content }] };
    else if (message.role === 'tool' && message.toolCallId !== undefined)
      item = { type: 'function_call_output', call_id: message.toolCallId, output: message.content };
    else if (message.role === 'tool') {
      warnings.push(toolAsTextWarning(message, index, 'no toolCallId'));
      item = { type: 'message', role: 'user', content: [{ type: 'input_text', text: toolOutputText(message) }] };
    } else item = { type: 'message', role: 'user', content: [{ type: 'input_text', text: message.content }] };
    events.push({ type: 'conversation.item.create', item });
  }
  return { request: events, warnings };
}
