import type { ResponseCreateParamsNonStreaming } from 'openai/resources/responses/responses';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ContextPacket } from '../../core/injection.js';
import type { OpenAIResponsesRequest } from './openai-responses-api.js';
import { renderOpenAIResponses } from './render-openai-responses.js';

const packet: ContextPacket = {
  information: { plan: 'Pro' },
  metadata: { priority: 50, criticality: 'helpful', source: 'api' },
};

describe('renderOpenAIResponses', () => {
  it('puts the context in instructions and the conversation in input items', () => {
    const { request, warnings } = renderOpenAIResponses({
      packet,
      messages: [
        { role: 'developer', content: 'Answer in French.' },
        { role: 'user', content: 'Which plan?' },
        { role: 'assistant', content: 'Checking.' },
        { role: 'tool', content: 'Pro', toolCallId: 'call_9' },
      ],
    });
    expect(warnings).toEqual([]);
    expect(request.instructions).toContain(
      '<information source="api" criticality="helpful" priority="50">\nplan: Pro\n</information>',
    );
    expect(request.input).toEqual([
      { type: 'message', role: 'developer', content: 'Answer in French.' },
      { type: 'message', role: 'user', content: 'Which plan?' },
      { type: 'message', role: 'assistant', content: 'Checking.' },
      { type: 'function_call_output', call_id: 'call_9', output: 'Pro' },
    ]);
  });

  it('sends a tool message without a call id as user text, with a warning', () => {
    const { request, warnings } = renderOpenAIResponses({ packet, messages: [{ role: 'tool', content: 'Pro' }] });
    expect(request.input).toEqual([{ type: 'message', role: 'user', content: '[Tool output]\nPro' }]);
    expect(warnings).toEqual(['messages[0] (tool): no toolCallId; sent as user text']);
  });

  it('is assignable to the official Responses params', () => {
    expectTypeOf<OpenAIResponsesRequest['instructions']>().toExtend<ResponseCreateParamsNonStreaming['instructions']>();
    expectTypeOf<OpenAIResponsesRequest['input']>().toExtend<ResponseCreateParamsNonStreaming['input']>();
    const params = {
      model: 'gpt-test',
      ...renderOpenAIResponses({ packet, messages: [] }).request,
    } satisfies ResponseCreateParamsNonStreaming;
    expect(params.input).toEqual([]);
  });
});
