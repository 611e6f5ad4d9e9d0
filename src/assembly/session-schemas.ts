import { z } from 'zod';
import { SESSION_ROLES } from '../core/session-message.js';

/** A session id: 1–200 printable characters without `/`. */
export const sessionIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\s\p{Cc}]+$/u, 'must be 1-200 printable characters without spaces or "/"');

export const sessionMessageInputSchema = z
  .object({
    role: z.enum(SESSION_ROLES).default('user'),
    content: z.string().min(1, 'must not be empty').max(200_000),
    metadata: z.record(z.string(), z.json()).default({}),
    /** ISO-8601; defaults to now. */
    createdAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const appendMessagesSchema = z
  .object({ messages: z.array(sessionMessageInputSchema).min(1).max(100) })
  .strict()
  .describe('Messages to append to the session, oldest first');

export type SessionMessageInput = z.input<typeof sessionMessageInputSchema>;
