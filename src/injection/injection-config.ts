import { z } from 'zod';
import { PROVIDER_FORMATS } from '../providers/provider-format.js';
import { STREAM_MODES } from '../streaming/stream-modes.js';

/** The injection engine's configuration (seed 003); every field has a default. See docs/injection.md. */
export const injectionConfigSchema = z
  .object({
    /** Most live streams one process holds; opening one more answers 503 (default 50,000). */
    maxStreams: z.number().int().min(1).default(50_000),
    /** A stream with no attached transport and no input for this long is closed (default 15 minutes). */
    idleMs: z.number().int().min(1_000).default(900_000),
    /** How often time-based rules (every T ms, schedules, silences) are evaluated (default 1 s). */
    tickMs: z.number().int().min(50).default(1_000),
    /** How injections reach a stream by default: pushed (`active`), pulled (`passive`) or both (`hybrid`). */
    mode: z.enum(STREAM_MODES).default('active'),
    /** The rendering of `rendered` in each injection a client receives (default plain text). */
    format: z.enum(PROVIDER_FORMATS).default('text'),
    /** Injections waiting for their synchronization point, per stream (overflow drops the lowest priority). */
    bufferLimit: z.number().int().min(1).max(10_000).default(64),
    /** Injections ready but not yet taken by a slow consumer, per stream (backpressure). */
    outboundLimit: z.number().int().min(1).max(10_000).default(64),
    /** The same content is not injected twice into a stream within this window (default 60 s). */
    dedupWindowMs: z.number().int().min(0).default(60_000),
    /** Most tokens one injection may carry (default 2,000). */
    maxTokensPerInjection: z.number().int().min(1).default(2_000),
    /** Lowest priority delivered at full health (raised as the failure budget degrades). */
    minPriority: z.number().int().min(0).max(100).default(0),
    /** Lowest relevance (best knowledge score of an assembled packet) delivered; packets without one pass. */
    minRelevance: z.number().min(0).max(1).default(0),
    /** How long rules read from the store are trusted before another instance's change is picked up (default 5 s). */
    rulesRefreshMs: z.number().int().min(0).default(5_000),
    /** Delivery resilience: timeouts, retries, breaker, failure budget, degradation (docs/injection-delivery.md). */
    delivery: z.record(z.string(), z.unknown()).default({}),
    /** Conversation-state derivation: phases, idle, pauses, topic windows (docs/injection-rules.md). */
    tracker: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type InjectionConfig = z.output<typeof injectionConfigSchema>;
