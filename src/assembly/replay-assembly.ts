import type { AssemblyPacket, AssemblyRecord, LayerTokens } from '../core/assembly.js';
import { NotFoundError, UnsupportedError } from '../core/errors.js';
import type { JsonValue } from '../core/json.js';
import type { AssemblyStore } from '../store/assembly-store.js';
import type { ContextStore } from '../store/context-store.js';
import { sha256Hex } from '../updates/content-hash.js';
import { buildPacket } from './build-packet.js';
import { knowledgeItemOf } from './knowledge-snapshot.js';
import { PREAMBLE, RENDERER_VERSION, type RenderItem, renderSegment, renderText } from './render.js';
import { isPlainObject } from './same-json.js';
import type { SegmentCounter } from './segment-counter.js';

export interface ReplayResult {
  assemblyId: string;
  text: string;
  packet: AssemblyPacket;
  tokens: LayerTokens;
  /** sha256 of the rebuilt text equals the one recorded. */
  identical: boolean;
  textHash: string;
}

/** Rebuilds an assembly's text from its record: documents at their recorded versions, other items from snapshots. */
export async function replayAssembly(
  record: AssemblyRecord,
  stores: { contexts: ContextStore; assemblies: AssemblyStore },
  counter: SegmentCounter,
): Promise<ReplayResult> {
  if (record.rendererVersion !== RENDERER_VERSION) {
    throw new UnsupportedError(
      `Assembly ${record.id} was rendered by renderer version ${record.rendererVersion}; this engine renders version ${RENDERER_VERSION}.`,
      { code: 'assembly_renderer_changed' },
    );
  }
  const included = record.manifest.filter((entry) => entry.included);
  const snapshots = await stores.assemblies.getItems(
    record.tenantId,
    included.flatMap((entry) => (entry.contentHash === undefined ? [] : [entry.contentHash])),
  );
  const items: RenderItem[] = [];
  for (const entry of included) {
    if (entry.layer === 'documents') {
      const version =
        entry.version === undefined ? undefined : await stores.contexts.getVersion(record.tenantId, entry.id, entry.version);
      if (version === undefined) throw missing(record.id, `${entry.id} version ${entry.version}`);
      items.push({
        layer: 'documents',
        key: version.key,
        version: version.version,
        source: version.source,
        author: version.author,
        createdAt: version.createdAt,
        value: version.value,
      });
      continue;
    }
    const hash = entry.contentHash;
    const payload: JsonValue | undefined = hash === undefined ? undefined : snapshots.get(hash);
    const item =
      payload === undefined || hash === undefined
        ? undefined
        : entry.layer === 'knowledge' && isPlainObject(payload)
          ? knowledgeItemOf(payload, hash, record.knowledgeScores)
          : (payload as unknown as RenderItem);
    if (item === undefined) throw missing(record.id, `the ${entry.layer} item ${entry.id}`);
    items.push(item);
  }
  const segments = items.map(renderSegment);
  const text = renderText(segments);
  const tokens: LayerTokens = { session: 0, journey: 0, knowledge: 0, documents: 0, total: 0 };
  segments.forEach((segment, index) => {
    tokens[(items[index] as RenderItem).layer] += counter.count(record.encoding, segment);
  });
  tokens.total =
    segments.length === 0
      ? 0
      : counter.count(record.encoding, PREAMBLE) + tokens.session + tokens.journey + tokens.knowledge + tokens.documents;
  const textHash = sha256Hex(text);
  const packet = buildPacket(items, {
    query: record.packet.attention.query,
    milestone: record.packet.strategy.milestone,
    next: record.packet.strategy.next,
    completed: record.packet.strategy.completed,
    dependencies: record.packet.strategy.dependencies,
    focus: record.packet.attention.focus,
    metadata: record.packet.metadata,
  });
  return { assemblyId: record.id, text, packet, tokens, identical: textHash === record.textHash, textHash };
}

function missing(assemblyId: string, what: string): NotFoundError {
  return new NotFoundError(`Assembly ${assemblyId} cannot be replayed: ${what} is no longer stored.`, {
    code: 'assembly_source_missing',
  });
}
