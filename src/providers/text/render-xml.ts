import { escapeData, openTag } from '../escape-data.js';
import type { ProviderInput, ProviderResult } from '../provider-format.js';
import { contextText } from '../render-sections.js';
import type { TextRequest } from './text-api.js';

/**
 * XML-tagged sections: the context as in every system prompt (`<strategy>`, `<information>`, `<attention>`), then
 * `<conversation>` with one `<turn role=…>` per message, every body escaped so that it cannot close its tag.
 */
export function renderXml(input: ProviderInput): ProviderResult<TextRequest> {
  let text = contextText(input);
  if (input.messages.length > 0) {
    const turns = input.messages.map((message) => {
      const open = openTag('turn', [
        ['role', message.role],
        ['name', message.name],
        ['tool-call-id', message.toolCallId],
      ]);
      return `${open}\n${escapeData(message.content)}\n</turn>\n`;
    });
    text += `<conversation>\n${turns.join('')}</conversation>\n`;
  }
  return { request: { text }, warnings: [] };
}
