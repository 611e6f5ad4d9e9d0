import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from '../testing/server-harness.js';

let h: ServerHarness;
let admin: string;
const T = '/v1/tenants/acme';

beforeEach(async () => {
  h = await createServerHarness({ config: { limits: { maxValueBytes: 4096 } } });
  admin = await h.key('admin', null);
  await h.engine.tenants.create({ id: 'acme' });
  await h.engine.tenants.create({ id: 'copy' });
});
afterEach(() => h.close());

async function createRun(body: Record<string, unknown> = { targetPath: './my-project', focusAreas: ['docs'] }): Promise<string> {
  const created = await h.call('POST', `${T}/runs`, { token: admin, body });
  expect(created.statusCode, created.body).toBe(201);
  expect(created.headers.location).toBe(`${T}/runs/${created.json().id}`);
  return created.json().id;
}

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) {
  expect(response.statusCode).toBe(status);
  expect(String(response.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code, detail: expect.any(String) });
}

describe('runs over HTTP', () => {
  it('runs a pipeline: parallel phase writes, preconditions, merges, phases, status, comparison', async () => {
    const id = await createRun();
    const R = `${T}/runs/${id}`;
    const [analysis, research] = await Promise.all([
      h.call('PUT', `${R}/phases/original_analysis`, {
        token: admin,
        body: { data: { filesAnalyzed: 10, metrics: { complexity: 3.5 } }, author: 'code-analysis' },
      }),
      h.call('PUT', `${R}/phases/external_research`, {
        token: admin,
        body: { data: { bestPractices: ['Use type hints'] }, author: 'research' },
      }),
    ]);
    expect(analysis.statusCode).toBe(201);
    expect(analysis.headers.etag).toBe('"1"');
    expect(analysis.json()).toMatchObject({ phase: 'original_analysis', version: 1, status: 'created', author: 'code-analysis' });
    expect(research.statusCode).toBe(201);
    const same = await h.call('PUT', `${R}/phases/external_research`, {
      token: admin,
      body: { data: { bestPractices: ['Use type hints'] }, author: 'research' },
    });
    expect(same.statusCode).toBe(200);
    expect(same.json().status).toBe('unchanged');
    const stale = await h.call('PUT', `${R}/phases/original_analysis`, {
      token: admin,
      headers: { 'if-match': '"7"' },
      body: { data: { filesAnalyzed: 1 } },
    });
    expectProblem(stale, 412, 'phase_version_mismatch');
    const created = await h.call('PUT', `${R}/phases/improvement_plan`, {
      token: admin,
      headers: { 'if-none-match': '*' },
      body: { data: { tasks: [{ id: 'task-1' }] } },
    });
    expect(created.statusCode).toBe(201);
    const merged = await h.call('PATCH', `${R}/phases/improvement_plan?author=planner`, {
      token: admin,
      headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
      payload: JSON.stringify({ estimatedImpact: 0.7 }),
    });
    expect(merged.statusCode).toBe(201);
    expect(merged.json()).toMatchObject({
      version: 2,
      author: 'planner',
      data: { tasks: [{ id: 'task-1' }], estimatedImpact: 0.7 },
    });
    await h.call('PUT', `${R}/phases/original_analysis`, {
      token: admin,
      body: { data: { filesAnalyzed: 10, metrics: { complexity: 2 } } },
    });

    const phase = await h.call('GET', `${R}/phases/original_analysis?version=1`, { token: admin });
    expect(phase.json()).toMatchObject({ version: 1, data: { metrics: { complexity: 3.5 } } });
    const current = await h.call('GET', `${R}/phases/original_analysis`, { token: admin });
    expect(current.headers.etag).toBe('"2"');
    expect(
      (await h.call('GET', `${R}/phases/original_analysis`, { token: admin, headers: { 'if-none-match': '"2"' } })).statusCode,
    ).toBe(304);
    const history = await h.call('GET', `${R}/phases/original_analysis/versions?limit=1`, { token: admin });
    expect(history.json().items).toHaveLength(1);
    expect(history.json().nextCursor).toEqual(expect.any(String));

    expect(
      (await h.call('POST', `${R}/current-phase`, { token: admin, body: { phase: 'implementation_log' } })).json(),
    ).toMatchObject({
      currentPhase: 'implementation_log',
    });
    expect(
      (await h.call('POST', `${R}/errors`, { token: admin, body: { message: 'timeout', agent: 'refactor' } })).json().errorLog,
    ).toHaveLength(1);
    const comparison = await h.call('GET', `${R}/comparison`, { token: admin });
    expect(comparison.json()).toMatchObject({ delta: { complexity: -1.5 }, plan: { estimatedImpact: 0.7 } });
    const context = await h.call('GET', R, { token: admin });
    expect(context.json()).toMatchObject({ id, phases: { original_analysis: { version: 2 }, implementation_log: null } });
    expectProblem(await h.call('DELETE', R, { token: admin }), 409, 'run_running');
    expect((await h.call('POST', `${R}/status`, { token: admin, body: { status: 'completed' } })).json()).toMatchObject({
      status: 'completed',
    });
    expectProblem(
      await h.call('PUT', `${R}/phases/evaluation_results`, { token: admin, body: { data: {} } }),
      409,
      'run_finished',
    );
    expect(
      (await h.call('GET', `${T}/runs?status=completed`, { token: admin })).json().items.map((run: { id: string }) => run.id),
    ).toEqual([id]);
    expect((await h.call('GET', `${T}/runs/stats`, { token: admin })).json()).toMatchObject({
      runs: 1,
      byStatus: { completed: 1 },
    });
    expect((await h.call('DELETE', R, { token: admin })).statusCode).toBe(204);
    expectProblem(await h.call('GET', R, { token: admin }), 404, 'run_not_found');
  });

  it('exports a gzip file and imports it into another tenant; refuses a damaged one and writes nothing', async () => {
    const id = await createRun();
    await h.call('PUT', `${T}/runs/${id}/phases/original_analysis`, { token: admin, body: { data: { filesAnalyzed: 3 } } });
    const exported = await h.call('GET', `${T}/runs/${id}/export`, { token: admin });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('application/gzip');
    expect(exported.headers['content-disposition']).toContain(`${id}.run.json.gz`);
    const file = exported.rawPayload;
    expect(JSON.parse(gunzipSync(file).toString('utf8')).run.id).toBe(id);
    const damaged = Buffer.from(file.subarray(0, file.length - 12));
    expectProblem(
      await h.call('POST', '/v1/tenants/copy/runs/import', {
        token: admin,
        payload: damaged,
        headers: { 'content-type': 'application/gzip' },
      }),
      400,
      'invalid_run_export',
    );
    expect((await h.call('GET', '/v1/tenants/copy/runs', { token: admin })).json().items).toEqual([]);
    const imported = await h.call('POST', '/v1/tenants/copy/runs/import', {
      token: admin,
      payload: file,
      headers: { 'content-type': 'application/gzip' },
    });
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({ tenantId: 'copy', id });
    const plain = await h.call('GET', `${T}/runs/${id}/export?compression=false`, { token: admin });
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    const asJson = await h.call('POST', `${T}/runs/import?newId=true`, {
      token: admin,
      payload: plain.body,
      headers: { 'content-type': 'application/json' },
    });
    expect(asJson.statusCode, asJson.body).toBe(201);
    expect(asJson.json().id).not.toBe(id);
    expectProblem(
      await h.call('POST', '/v1/tenants/copy/runs/import', {
        token: admin,
        payload: file,
        headers: { 'content-type': 'application/gzip' },
      }),
      409,
      'run_exists',
    );
  });

  it('answers bad input with problem+json and changes nothing', async () => {
    const id = await createRun();
    const R = `${T}/runs/${id}`;
    const cases: [string, string, unknown, number, string][] = [
      ['POST', `${T}/runs`, { targetPath: '' }, 400, 'invalid_request'],
      ['POST', `${T}/runs`, { targetPath: '.', bogus: 1 }, 400, 'invalid_request'],
      ['POST', `${T}/runs`, { targetPath: '.', template: 'nope' }, 400, 'unknown_template'],
      ['PUT', `${R}/phases/original_analysis`, { data: { filesAnalyzed: 'ten' } }, 400, 'invalid_phase_data'],
      ['PUT', `${R}/phases/unknown_phase`, { data: {} }, 400, 'phase_not_in_run'],
      ['PUT', `${R}/phases/Bad-Phase`, { data: {} }, 400, 'invalid_request'],
      ['PUT', `${R}/phases/improvement_plan`, { data: { tasks: [{ id: 'x'.repeat(10_001) }] } }, 400, 'invalid_phase_data'],
      ['PUT', `${R}/phases/implementation_log`, { data: { note: 'y'.repeat(5000) } }, 413, 'value_too_large'],
      ['PUT', `${T}/runs/run_missing/phases/improvement_plan`, { data: {} }, 404, 'run_not_found'],
      ['POST', `${R}/status`, { status: 'paused' }, 400, 'invalid_request'],
      ['POST', `${R}/current-phase`, { phase: 'nowhere' }, 400, 'phase_not_in_run'],
      ['GET', `${R}/phases/evaluation_results`, undefined, 404, 'phase_not_written'],
      ['GET', `${T}/runs?status=bogus`, undefined, 400, 'invalid_request'],
      ['POST', `${T}/runs/import`, 'not an export', 400, 'invalid_run_export'],
    ];
    for (const [method, url, body, status, code] of cases) {
      const response =
        typeof body === 'string'
          ? await h.call(method as 'POST', url, {
              token: admin,
              payload: body,
              headers: { 'content-type': 'application/octet-stream' },
            })
          : await h.call(method as 'GET', url, { token: admin, body });
      expect({ url, status: response.statusCode, code: response.json().code }).toEqual({ url, status, code });
    }
    const context = (await h.call('GET', R, { token: admin })).json();
    expect(Object.values(context.phases).every((phase) => phase === null)).toBe(true);
    expect((await h.call('GET', `${T}/runs`, { token: admin })).json().items).toHaveLength(1);
  });

  it("never shows or changes another tenant's run", async () => {
    const id = await createRun();
    const other = await h.key('writer', 'copy');
    const R = `${T}/runs/${id}`;
    for (const [method, url, body] of [
      ['GET', R],
      ['GET', `${R}/comparison`],
      ['GET', `${R}/export`],
      ['PUT', `${R}/phases/improvement_plan`, { data: {} }],
      ['POST', `${R}/status`, { status: 'cancelled' }],
      ['GET', `/v1/tenants/copy/runs/${id}`],
      ['PUT', `/v1/tenants/copy/runs/${id}/phases/improvement_plan`, { data: {} }],
    ] as [string, string, unknown?][]) {
      const response = await h.call(method as 'GET', url, { token: other, body });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.body).not.toContain('my-project');
    }
    expect((await h.engine.runs.get('acme', id)).status).toBe('running');
  });
});
