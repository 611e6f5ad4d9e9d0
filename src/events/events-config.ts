import { z } from 'zod';

/** Event contexts (seed 004): hot-tier bounds, the cold-write window, the depth limit, checkpoints. */
export const eventsConfigSchema = z
  .object({
    /** Records inserted longer ago than this leave the hot tier (they stay in the cold tier). Default 24 h. */
    hotMaxAgeMs: z
      .number()
      .int()
      .min(1000)
      .default(24 * 60 * 60 * 1000),
    /** Most records in the hot tier (evicted oldest first, 4,096 at a time). */
    hotMaxEvents: z.number().int().min(4096).default(1_000_000),
    /** Most bytes the hot tier holds, approximately. */
    hotMaxBytes: z
      .number()
      .int()
      .min(1024 * 1024)
      .default(256 * 1024 * 1024),
    /** A buffered emit reaches the cold tier within this window (unless the process dies first). */
    flushIntervalMs: z.number().int().min(1).max(60_000).default(50),
    /** Deepest event of a chain; a deeper emit fails and records `event.depth_exceeded`. */
    maxDepth: z.number().int().min(1).max(1000).default(32),
    /**
     * The hot-tier checkpoint file, saved on shutdown and restored on start. Default: `<database>.events-checkpoint`
     * beside a SQLite database file (`checkpointPathOf`); none for `memory:` and PostgreSQL unless set.
     */
    checkpointPath: z.string().min(1).optional(),
    /**
     * Record the engine's own events (`context.updated`, `update.approved`, …) as event contexts, traceable by the
     * correlation id of the request that caused them. Costs about a third of SQLite's durable write throughput with
     * 32 writers (one cold-tier row with six indexes per write); turn off when nothing reads those traces.
     */
    recordEngineEvents: z.boolean().default(true),
    /** Restore the checkpoint at start and save it on close (`ctx serve` turns this on; other commands leave it off). */
    autoCheckpoint: z.boolean().default(false),
  })
  .strict();

export type EventsConfig = z.output<typeof eventsConfigSchema>;
