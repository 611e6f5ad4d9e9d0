import { z } from 'zod';
import type { StreamInput } from '../core/injection.js';
import { jsonValueSchema } from '../validation/schemas.js';

/** The longest message content a stream accepts (the detectors read its first few thousand characters). */
export const MAX_STREAM_CONTENT = 100_000;
const speaker = z.enum(['user', 'assistant']).optional();

/** One client input of a stream (a WebSocket frame, or an element of `POST …/streams/:sessionId/events`). */
export const streamInputSchema: z.ZodType<StreamInput> = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('message'),
    role: z.enum(['user', 'assistant', 'system']),
    content: z.string().max(MAX_STREAM_CONTENT),
  }),
  z.strictObject({ type: z.literal('turn-start'), role: speaker }),
  z.strictObject({ type: z.literal('turn-end'), role: speaker }),
  z.strictObject({ type: z.literal('silence'), ms: z.number().int().min(0).max(86_400_000) }),
  z.strictObject({ type: z.literal('sentence-end') }),
  z.strictObject({ type: z.literal('ack'), id: z.string().min(1).max(100) }),
  z.strictObject({ type: z.literal('event'), name: z.string().min(1).max(200), data: jsonValueSchema.optional() }),
  z.strictObject({
    type: z.literal('state'),
    user: z.enum(['active', 'idle', 'confused']).optional(),
    system: z.enum(['normal', 'high-load', 'error']).optional(),
    relationship: z.enum(['new', 'returning', 'familiar']).optional(),
    conversation: z.enum(['start', 'middle', 'end']).optional(),
  }),
]) as z.ZodType<StreamInput>;

/** The body of `POST …/streams/:sessionId/events`: one input or a batch, in order. */
export const streamEventsBodySchema = z.union([
  z.strictObject({ events: z.array(streamInputSchema).min(1).max(100) }),
  streamInputSchema,
]);
