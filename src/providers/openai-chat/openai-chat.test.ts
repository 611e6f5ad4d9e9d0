import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ContextPacket, ConversationMessage } from '../../core/injection.js';
import type { OpenAIChatRequest } from './openai-chat-api.js';
import { renderOpenAIChat } from './render-openai-chat.js';

const packet: ContextPacket = {
  information: { plan: 'Pro', seats: 12 },
  strategy: { tone: 'brief' },
  attention: { focus: ['renewal'] },
  metadata: { priority: 70, criticality: 'important', source: 'rule:renewals' },
};
const messages: ConversationMessage[] = [
  { role: 'system', content: 'You are the billing assistant.' },
  { role: 'user', content: 'When do we renew?', name: 'ada' },
  { role: 'assistant', content: 'Let me check.' },
  { role: 'tool', content: '{"renewsOn":"2027-01-01"}', toolCallId: 'call_1', name: 'lookup' },
];

describe('renderOpenAIChat', () => {
  it('leads with the context as a system message, then the conversation unchanged', () => {
    const { request, warnings } = renderOpenAIChat({ packet, messages });
    expect(warnings).toEqual([]);
    expect(request.messages.map((message) => message.role)).toEqual(['system', 'system', 'user', 'assistant', 'tool']);
    const context = request.messages[0]?.content ?? '';
    expect(context).toContain(
      '<information source="rule:renewals" criticality="important" priority="70">\nplan: Pro\nseats: 12\n</information>',
    );
    expect(context.indexOf('<strategy')).toBeLessThan(context.indexOf('<information'));
    expect(context.indexOf('<information')).toBeLessThan(context.indexOf('<attention'));
    expect(request.messages.slice(1)).toEqual([
      { role: 'system', content: 'You are the billing assistant.' },
      { role: 'user', content: 'When do we renew?', name: 'ada' },
      { role: 'assistant', content: 'Let me check.' },
      { role: 'tool', content: '{"renewsOn":"2027-01-01"}', tool_call_id: 'call_1' },
    ]);
  });

  it('uses the developer role on request and the rendered text as the information section', () => {
    const { request } = renderOpenAIChat(
      { packet, text: 'assembled <document key="a">x</document>\n', messages: [] },
      { role: 'developer' },
    );
    expect(request.messages).toHaveLength(1);
    expect(request.messages[0]?.role).toBe('developer');
    expect(request.messages[0]?.content).toContain('>\nassembled <document key="a">x</document>\n</information>');
    expect(request.messages[0]?.content).not.toContain('plan: Pro');
  });

  it('warns for what it cannot map: a tool message without a call id, a name OpenAI refuses', () => {
    const { request, warnings } = renderOpenAIChat({
      packet: { metadata: packet.metadata },
      messages: [
        { role: 'tool', content: 'done', name: 'lookup' },
        { role: 'user', content: 'hi', name: 'Ada Lovelace' },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: '[Tool output from "lookup"]\ndone' },
      { role: 'user', content: 'hi' },
    ]);
    expect(warnings).toEqual([
      'messages[0] (tool): no toolCallId; sent as user text',
      'messages[1] (user): name does not match ^[A-Za-z0-9_-]{1,64}$; left out',
    ]);
  });

  it('is assignable to the official Chat Completions params', () => {
    expectTypeOf<OpenAIChatRequest['messages']>().toExtend<ChatCompletionCreateParamsNonStreaming['messages']>();
    const params = {
      model: 'gpt-test',
      ...renderOpenAIChat({ packet, messages }).request,
    } satisfies ChatCompletionCreateParamsNonStreaming;
    expect(params.messages).toHaveLength(5);
  });
});
