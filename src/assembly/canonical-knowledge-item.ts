import type { JsonObject } from '../core/json.js';
import { canonicalJson } from '../updates/content-hash.js';
import { isPlainObject } from './same-json.js';

const FIELDS = new Set(['chunkId', 'createdAt', 'id', 'layer', 'metadata', 'milestone', 'score', 'text']);

const quote = JSON.stringify;

/**
 * canonicalJson of a knowledge RenderItem or of its snapshot (the same without `score`), written field by field in
 * canonical key order (about twice as fast: the generic canonicaliser sorts keys and builds strings by reduce). Every
 * search result is a fresh object, so a chunk's canonical form is rebuilt far more often than any other item's. Strings and numbers go
 * through JSON.stringify, as in canonicalJson; `metadata` through canonicalJson itself. Undefined when the payload is
 * not exactly that shape (an unknown key, a non-finite score, …): the caller then canonicalises it in general.
 */
export function canonicalKnowledgeItem(payload: JsonObject): string | undefined {
  const { chunkId, createdAt, id, layer, metadata, milestone, score, text } = payload;
  if (layer !== 'knowledge' || typeof id !== 'string' || typeof text !== 'string' || typeof createdAt !== 'string')
    return undefined;
  if (score !== undefined && (typeof score !== 'number' || !Number.isFinite(score))) return undefined;
  if ((chunkId !== undefined && typeof chunkId !== 'string') || (milestone !== undefined && typeof milestone !== 'string'))
    return undefined;
  if (!isPlainObject(metadata) || typeof metadata.toJSON === 'function') return undefined;
  for (const key of Object.keys(payload)) if (!FIELDS.has(key)) return undefined;
  return (
    `{${chunkId === undefined ? '' : `"chunkId":${quote(chunkId)},`}"createdAt":${quote(createdAt)},"id":${quote(id)},` +
    `"layer":"knowledge","metadata":${canonicalJson(metadata)},` +
    `${milestone === undefined ? '' : `"milestone":${quote(milestone)},`}` +
    `${score === undefined ? '' : `"score":${quote(score)},`}"text":${quote(text)}}`
  );
}
