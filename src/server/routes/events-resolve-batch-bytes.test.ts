import { describe, expect, it } from 'vitest';
import { useEventRouteHarness } from '../testing/event-route-harness.js';
import type { ServerHarness } from '../testing/server-harness.js';

let harness: ServerHarness;
const emit = useEventRouteHarness((created) => {
  harness = created;
});

describe('POST …/context/resolve_batch as bytes', () => {
  it('sends {"contexts":…} as the UTF-8 of the JSON text answer, for hot, cold and unknown references', async () => {
    const plain = await emit('acme', { event: 'agent:status', context: { agentId: 'my_agent', sessionId: 'session_123' } });
    const escaped = await emit('acme', {
      event: 'tool.called',
      context: {
        agentId: 'agent "ü"',
        correlationId: 'corr "q" \\',
        sessionId: 'session 😀',
        custom: { label: 'x "y" \u2028', nested: { list: [1, 'é', null] } },
      },
    });
    const child = await emit('acme', { event: 'tool.answered', parent: escaped.body.ref, context: { custom: { n: 1 } } });
    const theirs = await emit('globex', { event: 'agent:status' });
    for (const answer of [plain, escaped, child, theirs]) expect(answer.response.statusCode, answer.response.body).toBe(201);
    const unknown = `ctx_agent_my_agent_${'0'.repeat(24)}`;
    const refs = [child.body.ref, plain.body.ref, unknown, escaped.body.ref, theirs.body.ref, plain.body.ref];

    const response = await harness.call('POST', '/v1/tenants/acme/context/resolve_batch', { body: { refs } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const text = await harness.engine.events.resolveBatchJson('acme', refs);
    expect(response.rawPayload.equals(Buffer.from(`{"contexts":${text}}`, 'utf8'))).toBe(true);
    expect(response.json()).toEqual({
      contexts: {
        [child.body.ref]: child.body.context,
        [plain.body.ref]: plain.body.context,
        [unknown]: null,
        [escaped.body.ref]: escaped.body.context,
        [theirs.body.ref]: null,
      },
    });

    // from the cold tier only: the same answer, spliced in where the hot tier had none
    harness.engine.events.hot.clear();
    const cold = await harness.call('POST', '/v1/tenants/acme/context/resolve_batch', { body: { refs } });
    expect(cold.json()).toEqual(response.json());
    expect(cold.rawPayload.equals(response.rawPayload)).toBe(true);
  });
});
