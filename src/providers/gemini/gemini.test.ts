import type { Content, ContentUnion, GenerateContentParameters } from '@google/genai';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { ContextPacket } from '../../core/injection.js';
import type { GeminiRequest } from './gemini-api.js';
import { renderGemini } from './render-gemini.js';

const packet: ContextPacket = {
  information: { plan: 'Pro' },
  metadata: { priority: 50, criticality: 'optional', source: 'api' },
};

describe('renderGemini', () => {
  it('folds instructions and context into systemInstruction and maps roles to user/model', () => {
    const { request, warnings } = renderGemini({
      packet,
      messages: [
        { role: 'system', content: 'You are Gemini for Acme.' },
        { role: 'user', content: 'Hi' },
        { role: 'user', content: 'Plan?' },
        { role: 'assistant', content: 'Pro.' },
      ],
    });
    expect(warnings).toEqual([]);
    expect(request.systemInstruction?.parts[0]).toEqual({ text: 'You are Gemini for Acme.' });
    expect(request.systemInstruction?.parts[1]?.text).toContain(
      '<information source="api" criticality="optional" priority="50">',
    );
    expect(request.contents).toEqual([
      { role: 'user', parts: [{ text: 'Hi' }, { text: 'Plan?' }] },
      { role: 'model', parts: [{ text: 'Pro.' }] },
    ]);
  });

  it('sends tool messages as user text and an empty conversation with warnings; no systemInstruction when empty', () => {
    const tool = renderGemini({ packet, messages: [{ role: 'tool', content: '42', toolCallId: 'c1', name: 'calc' }] });
    expect(tool.request.contents).toEqual([{ role: 'user', parts: [{ text: '[Tool output from "calc" for call "c1"]\n42' }] }]);
    expect(tool.warnings).toEqual(['messages[0] (tool): Gemini function responses need structured output; sent as user text']);
    const empty = renderGemini({ packet: { metadata: packet.metadata }, messages: [] });
    expect(empty.request).toEqual({ contents: [] });
    expect(empty.warnings).toEqual(['no messages: Gemini needs at least one content']);
  });

  it('is assignable to the official generateContent parameters', () => {
    expectTypeOf<GeminiRequest['contents']>().toExtend<Content[]>();
    expectTypeOf<NonNullable<GeminiRequest['systemInstruction']>>().toExtend<ContentUnion>();
    const { systemInstruction, contents } = renderGemini({ packet, messages: [{ role: 'user', content: 'x' }] }).request;
    const params = { model: 'gemini-test', contents, config: { systemInstruction } } satisfies GenerateContentParameters;
    expect(params.contents).toHaveLength(1);
  });
});
