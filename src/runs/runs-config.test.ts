import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../config/load-config.js';

describe('runs configuration', () => {
  it('defaults to the seed values', () => {
    expect(parseConfig({}).runs).toEqual({
      maxRunsPerTenant: 1000,
      ttlSeconds: 86400,
      compression: true,
      sweepIntervalSeconds: 600,
      maxImportBytes: 64 * 1024 * 1024,
    });
  });

  it('maps the seed variables CONTEXT_STORE_MAX_SIZE, _TTL and _COMPRESSION; CTX_RUNS_* win', () => {
    const env = { CTX_CONFIG: '', CONTEXT_STORE_MAX_SIZE: '50', CONTEXT_STORE_TTL: '60', CONTEXT_STORE_COMPRESSION: 'false' };
    expect(loadConfig({}, env).runs).toMatchObject({ maxRunsPerTenant: 50, ttlSeconds: 60, compression: false });
    const both = { ...env, CTX_RUNS_MAX_PER_TENANT: '7', CTX_RUNS_COMPRESSION: 'yes' };
    expect(loadConfig({}, both).runs).toMatchObject({ maxRunsPerTenant: 7, ttlSeconds: 60, compression: true });
  });

  it('refuses bad values with a message naming the variable or field', () => {
    expect(() => loadConfig({}, { CONTEXT_STORE_TTL: 'a day' })).toThrow(/CONTEXT_STORE_TTL must be an integer/);
    expect(() => loadConfig({}, { CONTEXT_STORE_COMPRESSION: 'maybe' })).toThrow(
      /CONTEXT_STORE_COMPRESSION must be true or false/,
    );
    expect(() => loadConfig({}, { CONTEXT_STORE_MAX_SIZE: '0' })).toThrow(/runs\.maxRunsPerTenant/);
    expect(() => parseConfig({ runs: { ttl: 5 } })).toThrow(/runs/);
  });
});
