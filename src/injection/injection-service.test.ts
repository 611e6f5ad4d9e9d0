import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../engine.js';
import type { InjectionMessage } from './injection-message.js';
import type { StreamTransport } from './stream-transport.js';

const RULES = [
  {
    id: 'stress',
    when: { type: 'keyword', keywords: ['stressed'] },
    inject: { packet: { strategy: { tone: 'supportive' }, attention: { focus: 'emotional support' } }, criticality: 'important' },
    priority: 80,
  },
  {
    id: 'every-3',
    when: { type: 'every', messages: 3 },
    inject: { packet: { information: { summary: 'recap' } }, criticality: 'helpful' },
  },
  {
    id: 'now',
    when: { type: 'event', name: 'escalate' },
    at: 'immediate',
    inject: { packet: { attention: { escalate: true } }, criticality: 'critical' },
  },
];

function recordingTransport(): StreamTransport & { messages: InjectionMessage[] } {
  const messages: InjectionMessage[] = [];
  return {
    kind: 'websocket',
    messages,
    async send(message) {
      messages.push(message);
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('injection service', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
  });

  async function setup() {
    engine = await createEngine({ databaseUrl: 'memory:' });
    await engine.tenants.create({ id: 'acme' });
    await engine.tenants.create({ id: 'globex' });
    await engine.injection.putRules('acme', { rules: RULES });
    return engine;
  }

  it('stores validated rules with a version and refuses invalid ones without changing them', async () => {
    const { injection } = await setup();
    const stored = await injection.getRules('acme');
    expect(stored.version).toBe(1);
    expect(stored.rules.map((rule) => rule.id)).toEqual(['stress', 'every-3', 'now']);
    await expect(injection.putRules('acme', { rules: [{ id: 'x', when: { type: 'nope' } }] })).rejects.toMatchObject({
      name: 'ValidationError',
    });
    await expect(injection.putRules('acme', { rules: [], expectedVersion: 0 })).rejects.toMatchObject({
      code: 'injection_rules_version_conflict',
    });
    expect((await injection.getRules('acme')).version).toBe(1);
    expect((await injection.getRules('globex')).version).toBe(0);
    await expect(injection.getRules('initech')).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('delivers a keyword injection at the end of the turn, never inside it', async () => {
    const { injection } = await setup();
    const stream = await injection.stream('acme', 's1');
    const transport = recordingTransport();
    stream.attach(transport);
    await stream.input({ type: 'turn-start', role: 'user' });
    await stream.input({ type: 'message', role: 'user', content: "I'm feeling really stressed about my startup" });
    await settle();
    expect(transport.messages).toEqual([]);
    await stream.input({ type: 'turn-end', role: 'user' });
    await settle();
    expect(transport.messages).toHaveLength(1);
    const [message] = transport.messages;
    expect(message).toMatchObject({
      type: 'injection',
      ruleId: 'stress',
      criticality: 'important',
      priority: 80,
      at: 'turn-end',
    });
    expect(message?.packet.metadata.conditions?.[0]).toContain('stressed');
    expect((message?.rendered as { text: string } | undefined)?.text).toContain('supportive');
    const stats = await injection.stats('acme');
    expect(stats.byCriticality.important).toMatchObject({ prepared: 1, delivered: 1 });
    expect(stats.streams).toBe(1);
  });

  it('answers due injections to a client that pulls (request/response), and nothing to another tenant', async () => {
    const { injection } = await setup();
    const none = await injection.handle('acme', 's2', [{ type: 'message', role: 'user', content: 'hello there' }]);
    expect(none).toEqual([]);
    const due = await injection.handle('acme', 's2', [
      { type: 'message', role: 'assistant', content: 'hi, how can I help' },
      { type: 'message', role: 'user', content: 'pricing question' },
    ]);
    expect(due.map((message) => message.ruleId)).toEqual(['every-3']);
    const immediate = await injection.handle('acme', 's2', [{ type: 'event', name: 'escalate' }]);
    expect(immediate.map((message) => message.ruleId)).toEqual(['now']);
    expect(await injection.handle('globex', 's2', [{ type: 'event', name: 'escalate' }])).toEqual([]);
    await expect(injection.handle('acme', 's2', [{ type: 'message', role: 'robot', content: 'x' }])).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });

  it('filters out assembled packets whose best knowledge score is below minRelevance, counted with the reason', async () => {
    engine = await createEngine({ databaseUrl: 'memory:', injection: { minRelevance: 0.5 } });
    await engine.tenants.create({ id: 'acme' });
    const packet = (score: number) => ({
      information: { knowledge: [{ id: `k${score}`, text: `item ${score}`, score }] },
      metadata: { priority: 50, criticality: 'helpful' as const, source: 'api' },
    });
    await engine.injection.inject('acme', 's1', packet(0.2));
    await engine.injection.inject('acme', 's1', packet(0.9));
    const due = await engine.injection.handle('acme', 's1', []);
    expect(due.map((message) => message.packet.information?.knowledge)).toEqual([[{ id: 'k0.9', text: 'item 0.9', score: 0.9 }]]);
    expect((await engine.injection.stats('acme')).byReason).toMatchObject({ 'dropped:filtered:relevance': 1 });
  });
});
