import { z } from 'zod';

/** A milestone id: 1–64 characters of letters, digits, `_`, `-` and `.`. */
export const milestoneIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'must be 1-64 characters of A-Z, a-z, 0-9, _, - or ., starting with a letter or digit',
  );

/** A user id: 1–200 printable characters without `/`. */
export const userIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/\s\p{Cc}]+$/u, 'must be 1-200 printable characters without spaces or "/"');

export const milestoneSchema = z
  .object({
    id: milestoneIdSchema,
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).optional(),
    dependsOn: z.array(milestoneIdSchema).max(500).default([]),
  })
  .strict();

export const putJourneySchema = z
  .object({
    milestones: z.array(milestoneSchema).min(1).max(500),
    /** Compare-and-set: the graph version this one replaces (0: the default graph). */
    expectedVersion: z.number().int().min(0).optional(),
  })
  .strict()
  .describe('A milestone dependency graph; cycles and unknown dependencies are refused');

export const completeMilestoneSchema = z
  .object({
    data: z.record(z.string(), z.json()).default({}),
    keyDecisions: z.array(z.string().min(1).max(2000)).max(100).default([]),
  })
  .strict()
  .describe("The milestone's completion data and key decisions");

export type PutJourneyInput = z.input<typeof putJourneySchema>;
export type CompleteMilestoneInput = z.input<typeof completeMilestoneSchema>;
