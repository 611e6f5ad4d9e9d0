import type { RealtimeClientEvent } from 'openai/resources/realtime/realtime';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ContextPacket } from '../../core/injection.js';
import type { OpenAIRealtimeEvent } from './openai-realtime-api.js';
import { renderOpenAIRealtime } from './render-openai-realtime.js';

const packet: ContextPacket = {
  attention: { focus: 'the caller sounds confused' },
  metadata: { priority: 90, criticality: 'critical', source: 'rule:confusion' },
};

describe('renderOpenAIRealtime', () => {
  it('updates the session instructions (app instructions first) and creates one item per message', () => {
    const { request, warnings } = renderOpenAIRealtime({
      packet,
      messages: [
        { role: 'system', content: 'You are a voice agent.' },
        { role: 'user', content: 'Hello?' },
        { role: 'assistant', content: 'Hi there.' },
        { role: 'tool', content: 'ok', toolCallId: 'call_2' },
      ],
    });
    expect(warnings).toEqual([]);
    const [update, ...items] = request;
    expect(update?.type).toBe('session.update');
    const instructions = update?.type === 'session.update' ? update.session.instructions : '';
    expect(instructions.startsWith('You are a voice agent.\n\n[Context supplied')).toBe(true);
    expect(instructions).toContain(
      '<attention source="rule:confusion" criticality="critical" priority="90">\nfocus: the caller sounds confused\n</attention>',
    );
    expect(items).toEqual([
      {
        type: 'conversation.item.create',
        item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello?' }] },
      },
      {
        type: 'conversation.item.create',
        item: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi there.' }] },
      },
      { type: 'conversation.item.create', item: { type: 'function_call_output', call_id: 'call_2', output: 'ok' } },
    ]);
  });

  it('warns for a late system message and a tool message without a call id', () => {
    const { request, warnings } = renderOpenAIRealtime({
      packet,
      messages: [
        { role: 'user', content: 'Hello?' },
        { role: 'developer', content: 'Be brief.' },
        { role: 'tool', content: 'ok' },
      ],
    });
    expect(request).toHaveLength(3);
    expect(warnings).toEqual([
      'messages[1] (developer): OpenAI Realtime takes instructions only up front; moved into the system prompt',
      'messages[2] (tool): no toolCallId; sent as user text',
    ]);
  });

  it('writes events the official client event type accepts', () => {
    expectTypeOf<OpenAIRealtimeEvent>().toExtend<RealtimeClientEvent>();
    const events: RealtimeClientEvent[] = renderOpenAIRealtime({ packet, messages: [{ role: 'user', content: 'x' }] }).request;
    expect(events.map((event) => event.type)).toEqual(['session.update', 'conversation.item.create']);
  });
});
