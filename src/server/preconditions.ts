import type { FastifyRequest } from 'fastify';
import { PreconditionFailedError, ValidationError } from '../core/errors.js';

/** A strong ETag for a version number: `"3"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

function single(value: string | string[] | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new ValidationError(`Send ${name} once.`, { code: 'invalid_precondition' });
  return value.trim();
}

/**
 * The write precondition from `If-Match: "<version>"` (the current version must be this; `*`: the document
 * must exist) or `If-None-Match: *` (it must not exist). `currentVersion` is read only for `If-Match: *`.
 * Returns undefined when neither header is sent.
 */
export async function expectedVersionOf(
  request: FastifyRequest,
  currentVersion: () => Promise<number | undefined>,
): Promise<number | null | undefined> {
  const ifMatch = single(request.headers['if-match'], 'If-Match');
  const ifNoneMatch = single(request.headers['if-none-match'], 'If-None-Match');
  if (ifMatch !== undefined && ifNoneMatch !== undefined) {
    throw new ValidationError('Send either If-Match or If-None-Match, not both.', { code: 'invalid_precondition' });
  }
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch !== '*') {
      throw new ValidationError('On writes, If-None-Match accepts only * (create only).', { code: 'invalid_precondition' });
    }
    return null;
  }
  if (ifMatch === undefined) return undefined;
  if (ifMatch === '*') {
    const current = await currentVersion();
    if (current === undefined) throw new PreconditionFailedError('If-Match: * requires the document to exist; it does not.');
    return current;
  }
  const match = /^"(\d{1,15})"$/.exec(ifMatch);
  if (!match) {
    throw new ValidationError('If-Match must be one strong ETag such as "3" (the version number in double quotes) or *.', {
      code: 'invalid_precondition',
    });
  }
  const version = Number(match[1]);
  if (version < 1) throw new PreconditionFailedError(`There is no version ${version}; versions start at 1.`);
  return version;
}

/** True when a GET's `If-None-Match` already names this version (answer 304). */
export function notModified(request: FastifyRequest, version: number): boolean {
  const header = request.headers['if-none-match'];
  if (typeof header !== 'string') return false;
  const tags = header.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(etagOf(version));
}
