import type { ProblemDraft } from './problem.js';

/**
 * 404 details that never echo another tenant's identifiers: a probe with a foreign update id or key gets the
 * same answer as a probe with an id that never existed, and the body holds nothing but what kind of thing
 * is missing. `pathTenant` is the tenant named in the URL (the caller's own input).
 */
export function neutralNotFound(draft: ProblemDraft, pathTenant: string | undefined): ProblemDraft {
  if (draft.status !== 404) return draft;
  switch (draft.code) {
    case 'tenant_not_found': {
      const named = pathTenant ?? (typeof draft.extensions?.tenantId === 'string' ? draft.extensions.tenantId : undefined);
      return {
        ...draft,
        detail: named === undefined ? 'The tenant does not exist.' : `Tenant "${named}" does not exist.`,
        extensions: {},
      };
    }
    case 'update_not_found':
      return { ...draft, detail: 'No update with this id exists in this tenant.', extensions: {} };
    case 'context_not_found': {
      const deleted = /was deleted \(version (\d+)\)$/.exec(draft.detail);
      if (deleted) return { ...draft, detail: `The document was deleted (version ${deleted[1]}).`, extensions: {} };
      const at = / did not exist at (\S+)$/.exec(draft.detail);
      if (at) return { ...draft, detail: `The document did not exist at ${at[1]}.`, extensions: {} };
      return { ...draft, detail: 'The document does not exist.', extensions: {} };
    }
    case 'version_not_found': {
      const version = /^Version (\d+) of /.exec(draft.detail);
      return {
        ...draft,
        detail: version ? `Version ${version[1]} of the document does not exist.` : 'The version does not exist.',
        extensions: {},
      };
    }
    default:
      return draft;
  }
}

/** The 404 every foreign or unknown tenant gets, byte for byte the same. */
export function tenantNotFoundDraft(tenantId: string): ProblemDraft {
  return { status: 404, code: 'tenant_not_found', detail: `Tenant "${tenantId}" does not exist.` };
}
