export const API_KEY_ROLES = ['admin', 'writer', 'reader', 'approver'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/** An API key as stored: only the sha256 of its secret is kept. `tenantId` null = every tenant (admin only). */
export interface ApiKeyRecord {
  id: string;
  tenantId: string | null;
  role: ApiKeyRole;
  name: string;
  secretHash: string;
  createdAt: string;
}
