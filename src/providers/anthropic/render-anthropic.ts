import type { ConversationMessage } from '../../core/injection.js';
import { messageLabel, splitInstructions, toolAsTextWarning, toolOutputText } from '../conversation-parts.js';
import type { ProviderInput, ProviderResult } from '../provider-format.js';
import { contextBlocks } from '../render-sections.js';
import type { AnthropicContentBlock, AnthropicMessage, AnthropicRequest, AnthropicTextBlock } from './anthropic-api.js';

/** The system blocks: the conversation's own instructions, then the stable context, then the volatile one. */
function systemBlocks(input: ProviderInput, instructions: readonly string[]): AnthropicTextBlock[] {
  const blocks: Array<AnthropicTextBlock & { stable: boolean }> = [
    ...instructions.map((text) => ({ type: 'text' as const, text, stable: true })),
    ...contextBlocks(input).map((block) => ({ type: 'text' as const, text: block.text, stable: block.stable })),
  ];
  const lastStable = blocks.findLastIndex((block) => block.stable);
  return blocks.map(({ stable: _stable, ...block }, index) =>
    index === lastStable ? { ...block, cache_control: { type: 'ephemeral' } } : block,
  );
}

function blockOf(message: ConversationMessage, index: number, warnings: string[]): AnthropicContentBlock {
  if (message.role !== 'tool') return { type: 'text', text: message.content };
  if (message.toolCallId !== undefined) return { type: 'tool_result', tool_use_id: message.toolCallId, content: message.content };
  warnings.push(toolAsTextWarning(message, index, 'no toolCallId'));
  return { type: 'text', text: toolOutputText(message) };
}

/**
 * Anthropic Messages: `system` text blocks — the conversation's system/developer messages, then the context,
 * stable sections first with `cache_control` on the last stable block so prompt caching hits — and the
 * conversation with consecutive same-role messages merged (Anthropic requires alternation). A conversation that
 * starts with the assistant, or is empty, is left as it is with a warning.
 */
export function renderAnthropic(input: ProviderInput): ProviderResult<AnthropicRequest> {
  const { instructions, conversation, warnings } = splitInstructions(input.messages, 'Anthropic');
  const messages: AnthropicMessage[] = [];
  for (const { message, index } of conversation) {
    if (message.content === '') {
      warnings.push(`${messageLabel(message, index)}: empty content (Anthropic refuses empty text); left out`);
      continue;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const block = blockOf(message, index, warnings);
    const last = messages.at(-1);
    if (last?.role !== role) {
      messages.push({ role, content: [block] });
      continue;
    }
    warnings.push(`${messageLabel(message, index)}: merged into the previous ${role} message (Anthropic requires alternation)`);
    // Tool results must open a user message's content.
    if (block.type === 'tool_result') {
      const firstText = last.content.findIndex((existing) => existing.type === 'text');
      if (firstText === -1) last.content.push(block);
      else last.content.splice(firstText, 0, block);
    } else last.content.push(block);
  }
  if (messages.length === 0) warnings.push('no messages: Anthropic needs at least one user message');
  else if (messages[0]?.role === 'assistant') warnings.push('the conversation starts with an assistant message');
  return { request: { system: systemBlocks(input, instructions), messages }, warnings };
}
