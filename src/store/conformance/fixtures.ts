import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ContextUpdate } from '../../core/context-update.js';
import type { ContextVersion } from '../../core/context-version.js';
import { isContextEngineError } from '../../core/errors.js';
import type { JsonValue } from '../../core/json.js';
import type { Page } from '../../core/page.js';
import type { Tenant } from '../../core/tenant.js';
import type { CommitResult, VersionDraft } from '../context-store.js';
import type { Store } from '../store.js';

const BASE_TIME = Date.parse('2024-01-01T00:00:00.000Z');

/** A fixed instant, `seconds` after the suite's epoch. */
export function instant(seconds: number): string {
  return new Date(BASE_TIME + seconds * 1000).toISOString();
}

export function makeTenant(id: string, overrides: Partial<Tenant> = {}): Tenant {
  return { id, name: `Tenant ${id}`, facets: { industry: 'saas' }, policy: {}, createdAt: instant(0), ...overrides };
}

export function makeUpdate(tenantId: string, key: string, overrides: Partial<ContextUpdate> = {}): ContextUpdate {
  return {
    id: `upd_${randomUUID()}`,
    tenantId,
    key,
    op: 'put',
    value: { text: 'hello' },
    source: 'api',
    author: 'tester',
    status: 'applied',
    flags: [],
    reviewReasons: [],
    contentHash: 'hash',
    createdAt: instant(1),
    ...overrides,
  };
}

export function makeDraft(value: JsonValue, overrides: Partial<VersionDraft> = {}): VersionDraft {
  return {
    value,
    deleted: false,
    contentHash: `hash-${JSON.stringify(value)}`,
    source: 'api',
    author: 'tester',
    createdAt: instant(1),
    ...overrides,
  };
}

/** Writes a new version of `key` through an applied `put` update. */
export function putVersion(
  store: Store,
  tenantId: string,
  key: string,
  value: JsonValue,
  expectedCurrentVersion: number | null,
  createdAt = instant(1),
): Promise<CommitResult> {
  return store.contexts.commit({
    update: makeUpdate(tenantId, key, { value, createdAt }),
    append: { expectedCurrentVersion, draft: makeDraft(value, { createdAt }) },
  });
}

/** Writes a tombstone of `key`. */
export function deleteVersion(store: Store, tenantId: string, key: string, expected: number, createdAt = instant(1)) {
  return store.contexts.commit({
    update: makeUpdate(tenantId, key, { op: 'delete', value: undefined, createdAt }),
    append: { expectedCurrentVersion: expected, draft: makeDraft(null, { deleted: true, createdAt }) },
  });
}

/** Follows nextCursor to the end, collecting every item. */
export async function collectPages<T>(fetch: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 1_000; pages += 1) {
    const page = await fetch(cursor);
    items.push(...page.items);
    if (page.nextCursor === undefined) return items;
    cursor = page.nextCursor;
  }
  throw new Error('Pagination did not end.');
}

/** Asserts that a promise rejects with a ContextEngineError of this class name and code. */
export async function expectError(promise: Promise<unknown>, name: string, code: string) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${name} ${code}`).toBeDefined();
  expect(isContextEngineError(error)).toBe(true);
  expect({ name: (error as Error).name, code: (error as { code: string }).code }).toEqual({ name, code });
  return error as Error & { code: string; details?: Record<string, unknown> };
}

/** Asserts versions 1..n, each with parentVersion the one before. */
export function expectLinearHistory(versions: ContextVersion[], count: number): void {
  expect(versions.map((version) => version.version)).toEqual(Array.from({ length: count }, (_, index) => index + 1));
  expect(versions.map((version) => version.parentVersion)).toEqual(versions.map((_, index) => (index === 0 ? null : index)));
}

export function isErrorWithCode(error: unknown, code: string): boolean {
  return isContextEngineError(error) && error.code === code;
}
