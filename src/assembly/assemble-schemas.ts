import { z } from 'zod';
import { CONVERSATION_ROLES } from '../core/injection.js';
import { ASSEMBLE_FORMATS } from '../providers/provider-format.js';
import { contextKeySchema } from '../validation/schemas.js';
import { milestoneIdSchema, userIdSchema } from './journey-schemas.js';
import { sessionIdSchema } from './session-schemas.js';

const weight = z.number().min(0).max(1);

/** One message of the conversation so far, for the provider request (`format`). */
export const conversationMessageSchema = z
  .object({
    role: z.enum(CONVERSATION_ROLES),
    content: z.string().max(100_000),
    /** For `tool` messages: the call this message answers. */
    toolCallId: z.string().min(1).max(200).optional(),
    name: z.string().min(1).max(200).optional(),
  })
  .strict();

export const assembleRequestSchema = z
  .object({
    query: z.string().min(1, 'must not be empty').max(10_000),
    userId: userIdSchema.optional(),
    sessionId: sessionIdSchema.optional(),
    /** The milestone the user is on; defaults to the user's current one. */
    milestone: milestoneIdSchema.optional(),
    /** Context document keys included first, in this order, while they fit. */
    documents: z.array(contextKeySchema).max(50).default([]),
    budget: z.number().int().min(1).max(1_000_000).optional(),
    /** Missing layers take the configured weight; normalised to sum 1. */
    weights: z.object({ session: weight, journey: weight, knowledge: weight }).partial().strict().optional(),
    /** Target model: picks the tokenizer (o200k_base when absent; approximated for models without a public one). */
    model: z.string().min(1).max(200).optional(),
    /** Knowledge retrieval for this request. */
    knowledge: z
      .object({
        topK: z.number().int().min(1).max(200).optional(),
        threshold: z.number().min(0).max(1).optional(),
        filter: z.record(z.string(), z.unknown()).optional(),
        mode: z.enum(['hybrid', 'lexical', 'vector']).optional(),
      })
      .strict()
      .optional(),
    /** Also render the assembly as this provider's native request fragment (`request` in the answer). */
    format: z.enum(ASSEMBLE_FORMATS).optional(),
    /** The conversation so far, rendered after the context in `request`; needs `format`. */
    messages: z.array(conversationMessageSchema).max(500).optional(),
  })
  .strict()
  .refine((input) => input.messages === undefined || input.format !== undefined, {
    message: 'messages needs a format',
    path: ['messages'],
  })
  .describe('What to assemble: the query, whose session and journey, which documents, under which budget');

export type AssembleInput = z.input<typeof assembleRequestSchema>;
export type ParsedAssembleInput = z.output<typeof assembleRequestSchema>;
