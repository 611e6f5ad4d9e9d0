import type { ModelMessage } from 'ai';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ContextPacket } from '../../core/injection.js';
import type { AiSdkRequest } from './ai-sdk-api.js';
import { renderAiSdk } from './render-ai-sdk.js';

const packet: ContextPacket = {
  strategy: { style: 'concise' },
  metadata: { priority: 50, criticality: 'helpful', source: 'rule:style' },
};

describe('renderAiSdk', () => {
  it('puts instructions and context in system, the conversation in ModelMessages', () => {
    const { request, warnings } = renderAiSdk({
      packet,
      messages: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: 'Sum?' },
        { role: 'assistant', content: 'Computing.' },
        { role: 'tool', content: '3', toolCallId: 'call_3', name: 'add' },
      ],
    });
    expect(warnings).toEqual([]);
    expect(request.system.startsWith('You are helpful.\n\n[Context supplied')).toBe(true);
    expect(request.system).toContain(
      '<strategy source="rule:style" criticality="helpful" priority="50">\nstyle: concise\n</strategy>',
    );
    expect(request.messages).toEqual([
      { role: 'user', content: 'Sum?' },
      { role: 'assistant', content: 'Computing.' },
      {
        role: 'tool',
        content: [{ type: 'tool-result', toolCallId: 'call_3', toolName: 'add', output: { type: 'text', value: '3' } }],
      },
    ]);
  });

  it('warns for a tool message without a name or without a call id', () => {
    const { request, warnings } = renderAiSdk({
      packet,
      messages: [
        { role: 'tool', content: '3', toolCallId: 'call_3' },
        { role: 'tool', content: '4' },
      ],
    });
    expect(request.messages[0]).toMatchObject({ role: 'tool', content: [{ toolName: 'unknown' }] });
    expect(request.messages[1]).toEqual({ role: 'user', content: '[Tool output]\n4' });
    expect(warnings).toEqual([
      'messages[0] (tool): no name; tool name "unknown"',
      'messages[1] (tool): no toolCallId; sent as user text',
    ]);
  });

  it('is assignable to the official ModelMessage[]', () => {
    expectTypeOf<AiSdkRequest['messages']>().toExtend<ModelMessage[]>();
    const messages: ModelMessage[] = renderAiSdk({ packet, messages: [{ role: 'user', content: 'x' }] }).request.messages;
    expect(messages).toEqual([{ role: 'user', content: 'x' }]);
  });
});
