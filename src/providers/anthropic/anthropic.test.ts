import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ContextPacket } from '../../core/injection.js';
import type { AnthropicRequest } from './anthropic-api.js';
import { renderAnthropic } from './render-anthropic.js';

const packet: ContextPacket = {
  information: { plan: 'Pro' },
  strategy: { tone: 'warm' },
  attention: { query: 'renewal date' },
  metadata: { priority: 60, criticality: 'important', source: 'assembler' },
};

describe('renderAnthropic', () => {
  it('orders system blocks stable first and marks the last stable one for caching', () => {
    const { request, warnings } = renderAnthropic({
      packet,
      messages: [
        { role: 'system', content: 'You are Claude for Acme.' },
        { role: 'user', content: 'When?' },
      ],
    });
    expect(warnings).toEqual([]);
    expect(request.system.map((block) => block.text.match(/<(strategy|information|attention) /)?.[1] ?? block.text)).toEqual([
      'You are Claude for Acme.',
      'strategy',
      'information',
      'attention',
    ]);
    expect(request.system.map((block) => block.cache_control)).toEqual([undefined, undefined, { type: 'ephemeral' }, undefined]);
    expect(request.system[1]?.text.startsWith('[Context supplied by the context engine.')).toBe(true);
    expect(request.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'When?' }] }]);
  });

  it('caches the whole system prompt when nothing volatile follows', () => {
    const { request } = renderAnthropic({
      packet: { ...packet, attention: undefined },
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(request.system.map((block) => block.cache_control !== undefined)).toEqual([false, true]);
  });

  it('merges consecutive same-role messages, tool results first, and warns', () => {
    const { request, warnings } = renderAnthropic({
      packet,
      messages: [
        { role: 'assistant', content: 'Calling the tool.' },
        { role: 'user', content: 'Also, hurry.' },
        { role: 'tool', content: '42', toolCallId: 'toolu_1' },
        { role: 'user', content: '' },
        { role: 'developer', content: 'Be brief.' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'assistant', content: [{ type: 'text', text: 'Calling the tool.' }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '42' },
          { type: 'text', text: 'Also, hurry.' },
        ],
      },
    ]);
    expect(request.system[0]).toEqual({ type: 'text', text: 'Be brief.' });
    expect(warnings).toEqual([
      'messages[4] (developer): Anthropic takes instructions only up front; moved into the system prompt',
      'messages[2] (tool): merged into the previous user message (Anthropic requires alternation)',
      'messages[3] (user): empty content (Anthropic refuses empty text); left out',
      'the conversation starts with an assistant message',
    ]);
  });

  it('warns when there is no message at all', () => {
    expect(renderAnthropic({ packet, messages: [] }).warnings).toEqual([
      'no messages: Anthropic needs at least one user message',
    ]);
  });

  it('is assignable to the official Messages params', () => {
    expectTypeOf<AnthropicRequest['system']>().toExtend<NonNullable<MessageCreateParamsNonStreaming['system']>>();
    expectTypeOf<AnthropicRequest['messages']>().toExtend<MessageCreateParamsNonStreaming['messages']>();
    const request = renderAnthropic({ packet, messages: [{ role: 'user', content: 'x' }] }).request;
    const params = { model: 'claude-test', max_tokens: 64, ...request } satisfies MessageCreateParamsNonStreaming;
    expect(params.messages).toHaveLength(1);
  });
});
