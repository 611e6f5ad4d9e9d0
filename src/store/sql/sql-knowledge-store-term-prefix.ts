import { createHash } from 'node:crypto';

/**
 * Lexical terms are stored prefixed with a hash of their tenant: a term's postings, and so its document frequency,
 * belong to one tenant, and an index lookup never walks another tenant's chunks.
 */
export function tenantTermPrefix(tenantId: string): string {
  return `k${createHash('sha256').update(tenantId).digest('hex').slice(0, 9)}`;
}
