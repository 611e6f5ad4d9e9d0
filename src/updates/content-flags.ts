import type { ContentFlag } from '../core/context-update.js';
import type { JsonValue } from '../core/json.js';

/**
 * Suspicious-content checks. Stored context ends up in prompts, so anything that reads like an instruction
 * to a model, or hides text from a human reviewer, forces review whatever the approval policy says.
 */
const PROMPT_INJECTION_PATTERNS: readonly RegExp[] = [
  /\b(ignore|disregard|forget|override)\b[^.\n]{0,40}\b(previous|prior|above|earlier|all|system)\b[^.\n]{0,20}\b(instructions?|prompts?|rules?|messages?|context)\b/i,
  /\byou are (now|no longer)\b/i,
  /\b(act|behave|respond) as (if you (are|were)|an?|the)\b[^.\n]{0,40}\b(system|admin|developer|unrestricted|jailbroken|dan)\b/i,
  /\bnew (system )?instructions?\s*:/i,
  /^\s*(system|assistant|developer)\s*:/im,
  /<\|?(im_start|im_end|system|endoftext)\|?>/i,
  /\[\/?(INST|SYS)\]/,
  /<<\/?SYS>>/,
  /\b(reveal|print|repeat|show)\b[^.\n]{0,30}\b(system prompt|hidden instructions|your instructions)\b/i,
  /\bdo not (tell|inform|mention to) the user\b/i,
];

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u180E]/;
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const UNICODE_TAGS = /[\u{E0000}-\u{E007F}]/u;
const HIDDEN_HTML = [
  /<!--[\s\S]*?-->/,
  /<\s*(script|style|iframe|object|embed|template)\b/i,
  /style\s*=\s*["'][^"']*(display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0)/i,
  /<[^>]+\bhidden\b[^>]*>/i,
];
const HIDDEN_MARKDOWN = [/^\s*\[[^\]]*\]:\s*#/m, /!\[[^\]]{80,}\]\(/];
const BASE64_BLOB = /[A-Za-z0-9+/]{200,}={0,2}|[A-Za-z0-9_-]{300,}/;

function flagsOfText(text: string, found: Set<ContentFlag>): void {
  if (PROMPT_INJECTION_PATTERNS.some((pattern) => pattern.test(text))) found.add('prompt_injection');
  if (ZERO_WIDTH.test(text)) found.add('zero_width_characters');
  if (BIDI_CONTROL.test(text)) found.add('bidi_control_characters');
  if (UNICODE_TAGS.test(text)) found.add('unicode_tag_characters');
  if (HIDDEN_HTML.some((pattern) => pattern.test(text))) found.add('hidden_html');
  if (HIDDEN_MARKDOWN.some((pattern) => pattern.test(text))) found.add('hidden_markdown');
  if (BASE64_BLOB.test(text)) found.add('base64_blob');
}

function walk(value: JsonValue, found: Set<ContentFlag>): void {
  if (typeof value === 'string') {
    flagsOfText(value, found);
  } else if (Array.isArray(value)) {
    for (const item of value) walk(item, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      flagsOfText(key, found);
      walk(item, found);
    }
  }
}

/** Every flag raised by any string (or object key) in the value, in a stable order. */
export function detectContentFlags(value: JsonValue | undefined): ContentFlag[] {
  if (value === undefined) return [];
  const found = new Set<ContentFlag>();
  walk(value, found);
  return [...found].sort();
}
