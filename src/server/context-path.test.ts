import { describe, expect, it } from 'vitest';
import { contextPath, contextTarget } from './context-path.js';

const base = '/v1/tenants/acme/contexts/';

describe('contextTarget', () => {
  it('splits a known suffix off the raw path', () => {
    expect(contextTarget(`${base}product/overview`, ['versions', 'diff'])).toEqual({
      key: 'product/overview',
      suffix: undefined,
    });
    expect(contextTarget(`${base}product/overview/versions?limit=1`, ['versions', 'diff'])).toEqual({
      key: 'product/overview',
      suffix: 'versions',
    });
    expect(contextTarget(`${base}a/diff`, ['versions', 'diff'])).toEqual({ key: 'a', suffix: 'diff' });
    expect(contextTarget(`${base}a/rollback`, ['rollback'])).toEqual({ key: 'a', suffix: 'rollback' });
  });

  it('treats a lone segment and an encoded slash as part of the key', () => {
    expect(contextTarget(`${base}versions`, ['versions'])).toEqual({ key: 'versions', suffix: undefined });
    expect(contextTarget(`${base}a%2Fversions`, ['versions'])).toEqual({ key: 'a/versions', suffix: undefined });
    expect(contextTarget(`${base}a/versions`, [])).toEqual({ key: 'a/versions', suffix: undefined });
  });

  it('rejects bad keys', () => {
    expect(() => contextTarget(`${base}a//b`, [])).toThrow(/context key/);
    expect(() => contextTarget(`${base}a%zz`, [])).toThrow(/percent-encoding/);
    expect(() => contextTarget(`${base}${'k'.repeat(257)}`, [])).toThrow(/256/);
  });

  it('builds paths that round-trip', () => {
    expect(contextPath('acme', 'a/b.c')).toBe('/v1/tenants/acme/contexts/a/b.c');
  });
});
