import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('sorts in creation order, also within one millisecond, and never repeats', () => {
    const ids = Array.from({ length: 5_000 }, () => newId('upd'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^upd_[0-9a-z]{9}[0-9a-f]{16}$/);
  });
});
