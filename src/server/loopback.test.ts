import { describe, expect, it } from 'vitest';
import { hostNameOf, isAllowedHostHeader, isAllowedOrigin, isLoopbackHost } from './loopback.js';

describe('loopback rules', () => {
  it('knows loopback bind addresses', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.com', '128.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it('parses Host headers', () => {
    expect(hostNameOf('LocalHost:8080')).toBe('localhost');
    expect(hostNameOf('[::1]:80')).toBe('[::1]');
    expect(hostNameOf('127.0.0.1')).toBe('127.0.0.1');
  });

  it('accepts loopback and allowed hosts only', () => {
    expect(isAllowedHostHeader('localhost:8080', [])).toBe(true);
    expect(isAllowedHostHeader('[::1]:8080', [])).toBe(true);
    expect(isAllowedHostHeader(undefined, [])).toBe(false);
    expect(isAllowedHostHeader('attacker.example', [])).toBe(false);
    expect(isAllowedHostHeader('ctx.lan:8080', ['ctx.lan'])).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:5173', [])).toBe(true);
    expect(isAllowedOrigin('https://attacker.example', [])).toBe(false);
    expect(isAllowedOrigin('null', [])).toBe(false);
    expect(isAllowedOrigin('file:///etc/passwd', [])).toBe(false);
  });
});
