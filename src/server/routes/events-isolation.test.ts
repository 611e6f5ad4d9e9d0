import { describe, expect, it } from 'vitest';
import { useEventRouteHarness } from '../testing/event-route-harness.js';
import type { ServerHarness } from '../testing/server-harness.js';

let harness: ServerHarness;
const emit = useEventRouteHarness((created) => {
  harness = created;
});

/** A reference of the same shape that names nothing (its hash zeroed). */
function unknownLike(ref: string): string {
  return ref.replace(/[0-9a-f]{24}$/, '0'.repeat(24));
}

describe('tenant isolation, route by route under every prefix', () => {
  it('a key of tenant B gets for tenant A’s references exactly what it gets for unknown ones', async () => {
    const acmeKey = await harness.key('writer', 'acme');
    const ids = { correlationId: 'corr_secret', agentId: 'agent_secret', sessionId: 'session_secret' };
    const { body } = await emit('acme', { event: 'secret.thing', data: { secret: 1 }, context: ids }, { token: acmeKey });
    const { ref, eventId } = body;
    const snapshot = await harness.engine.events.snapshot('orchestration', { secret: true }, { tenantId: 'acme' });
    const globexKey = await harness.key('writer', 'globex');
    const call = (method: 'GET' | 'POST', url: string, requestBody?: object, token = globexKey) =>
      harness.call(method, url, { body: requestBody, token });
    const acmeCounts = async () =>
      ((await call('GET', '/v1/tenants/acme/context/stats', undefined, acmeKey)).json() as { resolutions: { hot: number } })
        .resolutions;
    const acmeBefore = await acmeCounts();
    const globexEvents = ((await call('GET', '/v1/tenants/globex/context/stats')).json() as { cold: { events: number } }).cold
      .events;
    // the same answer for A's reference as for an unknown one, the reference itself aside
    const sameAsUnknown = async (url: string, known: string) => {
      const a = await call('POST', url, { ref: known });
      const b = await call('POST', url, { ref: unknownLike(known) });
      const { instance: _a, ...answer } = JSON.parse(a.body.replaceAll(known, '<ref>')) as { instance?: string };
      const { instance: _b, ...unknownAnswer } = JSON.parse(b.body.replaceAll(unknownLike(known), '<ref>')) as {
        instance?: string;
      };
      expect(a.statusCode, url).toBe(b.statusCode);
      expect(answer, url).toEqual(unknownAnswer);
      return a;
    };
    const secrets = [ref, snapshot.ref, 'corr_secret', 'agent_secret', 'session_secret', eventId];
    for (const prefix of ['/v1/tenants/globex/context', '/v1/context', '/api/context']) {
      // A's own key finds it under this prefix (unprefixed: through the key's tenant)
      const own = prefix.includes('globex') ? '/v1/tenants/acme/context' : prefix;
      expect((await call('POST', `${own}/resolve`, { ref }, acmeKey)).statusCode, own).toBe(200);

      const resolved = await sameAsUnknown(`${prefix}/resolve`, ref);
      expect(resolved.statusCode).toBe(404);
      expect((resolved.json() as { code: string }).code).toBe('context_not_found');
      const batch = await call('POST', `${prefix}/resolve_batch`, { refs: [ref, unknownLike(ref)] });
      expect(batch.json(), prefix).toEqual({ contexts: { [ref]: null, [unknownLike(ref)]: null } });
      for (const filter of [...Object.entries(ids), ['eventId', eventId], ['eventName', 'secret.thing']]) {
        const query = await call('POST', `${prefix}/query`, Object.fromEntries([filter]));
        expect(query.json(), `${prefix} ${filter[0]}`).toEqual({ items: [] });
      }
      const everything = await call('POST', `${prefix}/query`, {});
      const recovered = await sameAsUnknown(`${prefix}/recover`, snapshot.ref);
      expect((recovered.json() as { code: string }).code).toBe('not_a_snapshot');
      const stats = await call('GET', `${prefix}/stats`);
      expect(stats.json(), prefix).toMatchObject({ tenantId: 'globex', cold: { events: globexEvents } });
      const health = await call('GET', `${prefix}/health`);
      expect(health.statusCode, prefix).toBe(200);
      for (const response of [everything, stats, health]) {
        for (const secret of secrets) expect(response.body, `${prefix} ${secret}`).not.toContain(secret);
      }
    }
    // naming tenant A outright: the 404 of an unknown tenant, on every route of every prefix
    const namingAcme: ['GET' | 'POST', string, object | undefined][] = [];
    for (const prefix of ['/v1/tenants/acme/context', '/v1/context', '/api/context']) {
      const tenant = prefix.includes('acme') ? {} : { tenant: 'acme' };
      const query = prefix.includes('acme') ? '' : '?tenant=acme';
      namingAcme.push(
        ['POST', `${prefix}/resolve`, { ref, ...tenant }],
        ['POST', `${prefix}/resolve_batch`, { refs: [ref], ...tenant }],
        ['POST', `${prefix}/query`, { correlationId: 'corr_secret', ...tenant }],
        ['POST', `${prefix}/recover`, { ref: snapshot.ref, ...tenant }],
        ['GET', `${prefix}/stats${query}`, undefined],
        ['GET', `${prefix}/health${query}`, undefined],
      );
    }
    for (const [method, url, requestBody] of namingAcme) {
      const response = await call(method, url, requestBody);
      expect(response.statusCode, url).toBe(404);
      expect((response.json() as { code: string }).code, url).toBe('tenant_not_found');
    }
    // A counted its own three resolutions and nothing of B's; nothing was recovered there
    expect(await acmeCounts()).toEqual({ ...acmeBefore, hot: acmeBefore.hot + 3 });
    const recoveries = await call('POST', '/v1/tenants/acme/context/query', { eventName: 'orchestration:recovered' }, acmeKey);
    expect(recoveries.json()).toEqual({ items: [] });
  });
});
