import { ValidationError } from '../core/errors.js';
import type { AiSdkRequest } from './ai-sdk/ai-sdk-api.js';
import { renderAiSdk } from './ai-sdk/render-ai-sdk.js';
import type { AnthropicRequest } from './anthropic/anthropic-api.js';
import { renderAnthropic } from './anthropic/render-anthropic.js';
import type { GeminiRequest } from './gemini/gemini-api.js';
import { renderGemini } from './gemini/render-gemini.js';
import type { OpenAIChatRequest } from './openai-chat/openai-chat-api.js';
import { renderOpenAIChat } from './openai-chat/render-openai-chat.js';
import type { OpenAIRealtimeRequest } from './openai-realtime/openai-realtime-api.js';
import { renderOpenAIRealtime } from './openai-realtime/render-openai-realtime.js';
import type { OpenAIResponsesRequest } from './openai-responses/openai-responses-api.js';
import { renderOpenAIResponses } from './openai-responses/render-openai-responses.js';
import type { ProviderFormat, ProviderInput, ProviderOptions, ProviderResult } from './provider-format.js';
import { renderText } from './text/render-text.js';
import { renderXml } from './text/render-xml.js';
import type { TextRequest } from './text/text-api.js';

export type * from './ai-sdk/ai-sdk-api.js';
export { renderAiSdk } from './ai-sdk/render-ai-sdk.js';
export type * from './anthropic/anthropic-api.js';
export { renderAnthropic } from './anthropic/render-anthropic.js';
export { escapeData } from './escape-data.js';
export type * from './gemini/gemini-api.js';
export { renderGemini } from './gemini/render-gemini.js';
export type * from './openai-chat/openai-chat-api.js';
export { renderOpenAIChat } from './openai-chat/render-openai-chat.js';
export type * from './openai-realtime/openai-realtime-api.js';
export { renderOpenAIRealtime } from './openai-realtime/render-openai-realtime.js';
export type * from './openai-responses/openai-responses-api.js';
export { renderOpenAIResponses } from './openai-responses/render-openai-responses.js';
export * from './provider-format.js';
export { CONTEXT_PREAMBLE, contextText } from './render-sections.js';
export { PLAIN_PREAMBLE, renderText } from './text/render-text.js';
export { renderXml } from './text/render-xml.js';
export type * from './text/text-api.js';

/** The provider-native fragment each format renders. */
export interface ProviderRequests {
  'openai-chat': OpenAIChatRequest;
  'openai-responses': OpenAIResponsesRequest;
  'openai-realtime': OpenAIRealtimeRequest;
  anthropic: AnthropicRequest;
  gemini: GeminiRequest;
  'ai-sdk': AiSdkRequest;
  text: TextRequest;
  xml: TextRequest;
}

type Renderers = {
  [Format in ProviderFormat]: (input: ProviderInput, options: ProviderOptions) => ProviderResult<ProviderRequests[Format]>;
};

const RENDERERS: Renderers = {
  'openai-chat': renderOpenAIChat,
  'openai-responses': renderOpenAIResponses,
  'openai-realtime': renderOpenAIRealtime,
  anthropic: renderAnthropic,
  gemini: renderGemini,
  'ai-sdk': renderAiSdk,
  text: renderText,
  xml: renderXml,
};

/**
 * Renders a packet and a conversation into one provider's native request fragment (a pure function).
 * An unknown format (from untyped input) is a ValidationError `unknown_provider_format`.
 */
export function renderForProvider<Format extends ProviderFormat>(
  format: Format,
  input: ProviderInput,
  options: ProviderOptions = {},
): ProviderResult<ProviderRequests[Format]> {
  if (!Object.hasOwn(RENDERERS, format))
    throw new ValidationError(`Unknown provider format ${JSON.stringify(format)}`, { code: 'unknown_provider_format' });
  const render: Renderers[Format] = RENDERERS[format];
  return render(input, options);
}
