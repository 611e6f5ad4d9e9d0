import mergePatch from 'json-merge-patch';
import type { JsonValue } from '../core/json.js';

/** Applies an RFC 7386 merge patch, returning a new value (the target is not modified). */
export function applyMergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  return mergePatch.apply(structuredClone(target), patch) as JsonValue;
}
