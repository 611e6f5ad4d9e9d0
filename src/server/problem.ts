import { STATUS_CODES } from 'node:http';
import type { FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  BackendUnavailableError,
  ConflictError,
  type ContextEngineError,
  ForbiddenError,
  isContextEngineError,
  NotFoundError,
  PreconditionFailedError,
  ProviderCallError,
  UnauthorizedError,
  UnsupportedError,
  ValidationError,
} from '../core/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** An RFC 9457 problem document. `code` is stable; extension members carry safe details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  [extension: string]: unknown;
}

/** A problem before it knows which request it answers. */
export interface ProblemDraft {
  status: number;
  code: string;
  detail: string;
  extensions?: Record<string, unknown> | undefined;
}

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'code']);

export function problemType(code: string): string {
  return `urn:context-engine:problem:${code}`;
}

export function buildProblem(draft: ProblemDraft, instance: string): Problem {
  const problem: Problem = {
    type: problemType(draft.code),
    title: STATUS_CODES[draft.status] ?? 'Error',
    status: draft.status,
    detail: draft.detail,
    instance,
    code: draft.code,
  };
  for (const [name, value] of Object.entries(draft.extensions ?? {})) {
    if (!RESERVED.has(name) && value !== undefined) problem[name] = value;
  }
  return problem;
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

function engineStatus(error: ContextEngineError): number {
  if (error instanceof ValidationError) return error.code === 'value_too_large' ? 413 : 400;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  if (error instanceof PreconditionFailedError) return 412;
  if (error instanceof UnsupportedError) return 501;
  if (error instanceof BackendUnavailableError) return 503;
  if (error instanceof ProviderCallError) return 502;
  return error.category === 'user' ? 400 : 500;
}

/** Fastify's own error codes, as stable problem codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_body',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_content_length',
  FST_ERR_CTP_INVALID_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_TYPE: 'unsupported_media_type',
  FST_ERR_VALIDATION: 'invalid_request',
  FST_ERR_BAD_URL: 'bad_url',
  FST_ERR_ASYNC_CONSTRAINT: 'bad_request',
};

interface HttpishError {
  statusCode?: unknown;
  code?: unknown;
  message?: unknown;
  name?: unknown;
  validation?: unknown;
  validationContext?: unknown;
}

function describeZodValidation(error: HttpishError): string {
  const issues = (error.validation as { instancePath: string; message: string }[]).slice(0, 5);
  const where = typeof error.validationContext === 'string' ? error.validationContext : 'request';
  const parts = issues.map((issue) => {
    const message = /received undefined$/.test(issue.message) ? 'is required' : issue.message;
    const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    return path === '' ? message : `${path}: ${message}`;
  });
  return `Invalid ${where === 'querystring' ? 'query string' : where}: ${parts.join('; ')}`;
}

/** An error that already knows its problem (HTTP-only cases such as 422 or 405). */
export class HttpProblemError extends Error {
  readonly draft: ProblemDraft;
  constructor(draft: ProblemDraft) {
    super(draft.detail);
    this.name = 'HttpProblemError';
    this.draft = draft;
  }
}

/**
 * Maps any thrown error to a problem. Engine errors keep their code, message and safe details; Fastify's
 * 4xx errors keep their status and message; anything else is a 500 with a generic detail (`internal` is true
 * so the caller logs the real error).
 */
export function problemFromError(error: unknown): ProblemDraft & { internal: boolean } {
  if (error instanceof HttpProblemError) return { ...error.draft, internal: false };
  if (isContextEngineError(error)) {
    const status = engineStatus(error);
    if (status >= 500 && status !== 503 && status !== 501 && status !== 502) {
      return { status, code: 'internal_error', detail: 'An internal error occurred; it has been logged.', internal: true };
    }
    return { status, code: error.code, detail: error.message, extensions: error.details, internal: status >= 500 };
  }
  const httpish = (typeof error === 'object' && error !== null ? error : {}) as HttpishError;
  if (hasZodFastifySchemaValidationErrors(error)) {
    return { status: 400, code: 'invalid_request', detail: describeZodValidation(httpish), internal: false };
  }
  const status = typeof httpish.statusCode === 'number' ? httpish.statusCode : 500;
  if (status >= 400 && status < 500) {
    const fastifyCode = typeof httpish.code === 'string' ? httpish.code : '';
    const code =
      FASTIFY_CODES[fastifyCode] ??
      (status === 429
        ? 'rate_limited'
        : httpish.name === 'SyntaxError'
          ? 'malformed_json'
          : fastifyCode.startsWith('FST_')
            ? 'bad_request'
            : fastifyCode || 'bad_request');
    if (code === 'unsupported_media_type') {
      const detail = 'Unsupported Content-Type: send application/json (PATCH also takes application/merge-patch+json).';
      return { status: 415, code, detail, internal: false };
    }
    const message =
      typeof httpish.message === 'string' && httpish.message !== '' ? httpish.message : (STATUS_CODES[status] ?? 'Bad request');
    return { status, code, detail: message, internal: false };
  }
  return { status: 500, code: 'internal_error', detail: 'An internal error occurred; it has been logged.', internal: true };
}
