import { splitInstructions, toolAsTextWarning, toolOutputText } from '../conversation-parts.js';
import type { ProviderInput, ProviderResult } from '../provider-format.js';
import { contextBlocks } from '../render-sections.js';
import type { GeminiContent, GeminiPart, GeminiRequest } from './gemini-api.js';

/**
 * Google Gemini: `systemInstruction` parts — the conversation's system/developer messages, then the context
 * sections — and `contents` with roles `user`/`model`; consecutive same-role messages share one content (as
 * parts, nothing lost). Tool messages become user text with a warning: Gemini's function responses need the
 * function's name and structured output, which a conversation message does not carry.
 */
export function renderGemini(input: ProviderInput): ProviderResult<GeminiRequest> {
  const { instructions, conversation, warnings } = splitInstructions(input.messages, 'Gemini');
  const contents: GeminiContent[] = [];
  for (const { message, index } of conversation) {
    const role = message.role === 'assistant' ? 'model' : 'user';
    let part: GeminiPart = { text: message.content };
    if (message.role === 'tool') {
      warnings.push(toolAsTextWarning(message, index, 'Gemini function responses need structured output'));
      part = { text: toolOutputText(message) };
    }
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(part);
    else contents.push({ role, parts: [part] });
  }
  if (contents.length === 0) warnings.push('no messages: Gemini needs at least one content');
  const parts: GeminiPart[] = [
    ...instructions.map((text) => ({ text })),
    ...contextBlocks(input).map((block) => ({ text: block.text })),
  ];
  return { request: parts.length === 0 ? { contents } : { systemInstruction: { parts }, contents }, warnings };
}
