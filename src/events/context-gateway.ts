import { NotFoundError, ValidationError } from '../core/errors.js';
import type { EventContext, EventQuery, EventRecord } from '../core/event-context.js';
import type { Page } from '../core/page.js';
import type { EventContextStore } from '../store/event-context-store.js';
import type { ColdWriter } from './cold-writer.js';
import { assertContextRef } from './context-ref.js';
import type { EventCounters } from './event-counters.js';
import type { HotTier } from './hot-tier/hot-tier.js';
import { asciiBytes, JsonBytesWriter } from './hot-tier/json-bytes-writer.js';

export const MAX_BATCH_REFS = 1000;

export interface EventStats {
  tenantId: string;
  hot: { events: number; bytes: number };
  /** Bytes: the stored contexts' approximate size (eventRecordBytes), without index and page overhead. */
  cold: { events: number; bytes: number };
  emitted: number;
  deduplicated: number;
  /** Stores asked for per context actually stored (1 = no duplicates). */
  dedupRatio: number;
  depthExceeded: number;
  resolutions: { hot: number; cold: number; missing: number };
  hitRates: { hot: number; cold: number; missing: number };
}

export interface GatewayDeps {
  hot: HotTier;
  cold: ColdWriter;
  store: EventContextStore;
  counters: EventCounters;
  requireTenant: (tenantId: string) => Promise<void>;
}

/** ASCII text written around a batch's answer (`{"contexts":` and `}`), so that it is not copied again to wrap it. */
export interface BatchEnvelope {
  before: string;
  after: string;
}

const NULL = asciiBytes('null');

function checkBatchSize(refs: readonly string[]): void {
  if (refs.length > MAX_BATCH_REFS) {
    throw new ValidationError(`At most ${MAX_BATCH_REFS} references per batch; got ${refs.length}.`, { code: 'too_many_refs' });
  }
}

/** The distinct references of a batch, in order of first appearance (each checked; at most MAX_BATCH_REFS). */
function uniqueRefs(refs: readonly string[]): string[] {
  checkBatchSize(refs);
  for (const ref of refs) assertContextRef(ref);
  return [...new Set(refs)];
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000;
}

/**
 * The context gateway (seed 004): resolve references (hot tier first, then cold), in batches, query the cold tier
 * (after flushing what is buffered, so a query sees every acknowledged emit), and per-tenant statistics.
 */
export class ContextGateway {
  readonly #deps: GatewayDeps;
  /** Bytes per reference of the last batch answered as bytes: the next one's buffer is sized from it. */
  #bytesPerRef = 512;

  constructor(deps: GatewayDeps) {
    this.#deps = deps;
  }

  /** The full record of a reference (data included when it comes from the cold tier); undefined when unknown. */
  async find(tenantId: string, ref: string): Promise<EventRecord | undefined> {
    assertContextRef(ref);
    const counters = this.#deps.counters.of(tenantId);
    const hot = this.#deps.hot.get(tenantId, ref);
    if (hot !== undefined) {
      counters.hotHits += 1;
      return { ...hot, data: null };
    }
    await this.#deps.requireTenant(tenantId);
    const cold = await this.#deps.store.get(tenantId, ref);
    if (cold === undefined) counters.misses += 1;
    else counters.coldHits += 1;
    return cold;
  }

  /** The stored record with its data, from the cold tier (after flushing what is buffered). */
  async findStored(tenantId: string, ref: string): Promise<EventRecord | undefined> {
    assertContextRef(ref);
    await this.#deps.requireTenant(tenantId);
    await this.#deps.cold.flush();
    return this.#deps.store.get(tenantId, ref);
  }

  async resolve(tenantId: string, ref: string): Promise<EventContext> {
    const record = await this.find(tenantId, ref);
    if (record === undefined) {
      throw new NotFoundError(`No context ${ref} in tenant "${tenantId}".`, { code: 'context_not_found', details: { ref } });
    }
    return record.context;
  }

  /** Every reference's context, or null when it is unknown in this tenant. At most 1,000 references. */
  async resolveBatch(tenantId: string, refs: readonly string[]): Promise<Record<string, EventContext | null>> {
    const unique = uniqueRefs(refs);
    const result: Record<string, EventContext | null> = {};
    const missing: string[] = [];
    for (const ref of unique) {
      const hot = this.#deps.hot.get(tenantId, ref);
      result[ref] = hot === undefined ? null : hot.context;
      if (hot === undefined) missing.push(ref);
    }
    for (const record of await this.#fromCold(tenantId, unique.length, missing)) result[record.ref] = record.context;
    return result;
  }

  /**
   * `resolveBatch` as the JSON text of its answer (`{"<ref>":<context>|null,…}`), written straight from the hot tier's
   * records without building objects: `resolveBatchBytes` as text (one implementation of the batch, not two).
   */
  async resolveBatchJson(tenantId: string, refs: readonly string[]): Promise<string> {
    return (await this.resolveBatchBytes(tenantId, refs)).toString('utf8');
  }

  /**
   * The answer of `resolveBatch` as JSON bytes, within `envelope` when given: the hot tier writes each
   * context straight into one buffer, which is what is sent (no join of small strings, no encoding after it). An
   * answer from the cold tier goes where its `null` was, in one copy made only when the cold tier had any.
   */
  async resolveBatchBytes(tenantId: string, refs: readonly string[], envelope?: BatchEnvelope): Promise<Buffer> {
    checkBatchSize(refs);
    const hot = this.#deps.hot;
    const writer = new JsonBytesWriter(refs.length * this.#bytesPerRef + 64);
    if (envelope !== undefined) writer.asciiText(envelope.before);
    writer.ensure(1);
    writer.byte(0x7b /* { */);
    const start = writer.length;
    // the references the hot tier lacks, and where their `null` is
    const missing: string[] = [];
    const slots: number[] = [];
    let asked = 0;
    for (const ref of new Set(refs)) {
      if (typeof ref !== 'string') assertContextRef(ref);
      writer.ensure(2);
      if (asked > 0) writer.byte(0x2c /* , */);
      writer.byte(0x22 /* " */);
      asked += 1;
      // references match CONTEXT_REF_PATTERN, so nothing in them needs escaping: one the hot tier holds is exactly a
      // stored reference, any other is checked here (in batch order, before anything is counted or read cold)
      writer.asciiText(ref);
      writer.ensure(2);
      writer.byte(0x22 /* " */);
      writer.byte(0x3a /* : */);
      if (hot.writeJson(writer, tenantId, ref)) continue;
      assertContextRef(ref);
      missing.push(ref);
      slots.push(writer.length);
      writer.ascii(NULL);
    }
    writer.ensure(1);
    writer.byte(0x7d /* } */);
    if (envelope !== undefined) writer.asciiText(envelope.after);
    if (asked > 0) this.#bytesPerRef = Math.max(64, Math.ceil((writer.length - start) / asked) + 16);
    const bytes = writer.result();
    const found = await this.#fromCold(tenantId, asked, missing);
    if (found.length === 0) return bytes;
    const byRef = new Map(found.map((record) => [record.ref, record]));
    const pieces: Buffer[] = [];
    let from = 0;
    for (let index = 0; index < missing.length; index += 1) {
      const record = byRef.get(missing[index] as string);
      if (record === undefined) continue;
      const slot = slots[index] as number;
      pieces.push(bytes.subarray(from, slot), Buffer.from(JSON.stringify(record.context)));
      from = slot + NULL.length;
    }
    pieces.push(bytes.subarray(from));
    return Buffer.concat(pieces);
  }

  /** Counts the hot hits (`asked` less the missing), then looks the missing up in the cold tier, counting its hits and misses. */
  async #fromCold(tenantId: string, asked: number, missing: readonly string[]): Promise<EventRecord[]> {
    const counters = this.#deps.counters.of(tenantId);
    counters.hotHits += asked - missing.length;
    if (missing.length === 0) return [];
    await this.#deps.requireTenant(tenantId);
    const found = await this.#deps.store.getMany(tenantId, missing);
    counters.coldHits += found.length;
    counters.misses += missing.length - found.length;
    return found;
  }

  async query(tenantId: string, query: EventQuery & { eventId?: string | undefined }): Promise<Page<EventRecord>> {
    await this.#deps.requireTenant(tenantId);
    await this.#deps.cold.flush();
    return this.#deps.store.query(tenantId, query);
  }

  async stats(tenantId: string): Promise<EventStats> {
    await this.#deps.requireTenant(tenantId);
    const counters = this.#deps.counters.of(tenantId);
    const hotEvents = this.#deps.hot.sizeOf(tenantId);
    const share = this.#deps.hot.size === 0 ? 0 : hotEvents / this.#deps.hot.size;
    const resolutions = counters.hotHits + counters.coldHits + counters.misses;
    const stored = counters.emitted + counters.deduplicated;
    return {
      tenantId,
      hot: { events: hotEvents, bytes: Math.round(this.#deps.hot.bytes * share) },
      cold: await this.#deps.store.size(tenantId),
      emitted: counters.emitted,
      deduplicated: counters.deduplicated,
      dedupRatio: counters.emitted === 0 ? 1 : Math.round((stored / counters.emitted) * 10_000) / 10_000,
      depthExceeded: counters.depthExceeded,
      resolutions: { hot: counters.hotHits, cold: counters.coldHits, missing: counters.misses },
      hitRates: {
        hot: ratio(counters.hotHits, resolutions),
        cold: ratio(counters.coldHits, resolutions),
        missing: ratio(counters.misses, resolutions),
      },
    };
  }
}
