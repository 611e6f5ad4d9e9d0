import { describe, expect, it } from 'vitest';
import { ValidationError } from '../core/errors.js';
import type { ConversationMessage } from '../core/injection.js';
import { renderAiSdk } from './ai-sdk/render-ai-sdk.js';
import { renderAnthropic } from './anthropic/render-anthropic.js';
import { renderGemini } from './gemini/render-gemini.js';
import { ASSEMBLE_FORMATS, PROVIDER_FORMATS, type ProviderFormat, type ProviderInput, renderForProvider } from './index.js';
import { renderOpenAIChat } from './openai-chat/render-openai-chat.js';
import { renderOpenAIRealtime } from './openai-realtime/render-openai-realtime.js';
import { renderOpenAIResponses } from './openai-responses/render-openai-responses.js';
import { renderText } from './text/render-text.js';
import { renderXml } from './text/render-xml.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

const messages: ConversationMessage[] = [
  { role: 'system', content: 'Be kind.' },
  { role: 'user', content: 'Hi' },
  { role: 'user', content: 'Anyone?' },
  { role: 'tool', content: '1', toolCallId: 'c1' },
];
const input: ProviderInput = deepFreeze({
  packet: { information: { a: 1 }, strategy: { b: 'x' }, metadata: { priority: 5, criticality: 'optional', source: 'api' } },
  messages,
});

describe('renderForProvider', () => {
  it('dispatches each format to its adapter and never mutates its input', () => {
    const direct: Record<ProviderFormat, (value: ProviderInput) => unknown> = {
      'openai-chat': renderOpenAIChat,
      'openai-responses': renderOpenAIResponses,
      'openai-realtime': renderOpenAIRealtime,
      anthropic: renderAnthropic,
      gemini: renderGemini,
      'ai-sdk': renderAiSdk,
      text: renderText,
      xml: renderXml,
    };
    for (const format of PROVIDER_FORMATS) expect(renderForProvider(format, input)).toEqual(direct[format](input));
    expect(ASSEMBLE_FORMATS.every((format) => PROVIDER_FORMATS.includes(format))).toBe(true);
  });

  it('renders the same input to the same request every time (prompt caches stay warm)', () => {
    for (const format of PROVIDER_FORMATS)
      expect(JSON.stringify(renderForProvider(format, input))).toBe(
        JSON.stringify(renderForProvider(format, structuredClone(input))),
      );
  });

  it('passes options through and refuses an unknown format', () => {
    expect(renderForProvider('openai-chat', input, { role: 'developer' }).request.messages[0]?.role).toBe('developer');
    expect(() => renderForProvider('cohere' as ProviderFormat, input)).toThrow(ValidationError);
  });
});
