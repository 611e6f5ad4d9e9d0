/** The tags the adapters delimit data with; stored text must never open or close one of them. */
export const SECTION_TAGS = ['strategy', 'information', 'attention', 'conversation', 'turn'] as const;
export type SectionTag = (typeof SECTION_TAGS)[number];

/** `<`, and the look-alikes a model may read as one (fullwidth `＜`, small `﹤`). */
const OPENERS = '<\\uFF1C\\uFE64';
/** Whitespace and invisible characters that could hide a tag from a plain `</tag` match. */
const INVISIBLE = '\\s\\u00AD\\u200B-\\u200F\\u2060\\uFEFF';

const FORGED_TAG = new RegExp(`[${OPENERS}]([${INVISIBLE}]*/?[${INVISIBLE}]*)(${SECTION_TAGS.join('|')})`, 'giu');

/**
 * Makes text safe inside a section: anything that looks like one of our section tags, opening or closing, loses
 * its `<` (replaced by `‹`), as src/assembly/render.ts does for its block tags. Everything else is kept as is.
 */
export function escapeData(text: string): string {
  return text.replace(FORGED_TAG, '‹$1$2');
}

/** An attribute value: quotes, angle brackets and line breaks are entity-encoded. */
export function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;')
    .replace(/\n/g, '&#10;');
}

/** `<tag a="…" b="…">` with escaped values; undefined attributes are left out. */
export function openTag(tag: SectionTag, attributes: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  const rendered = attributes
    .filter((pair): pair is readonly [string, string | number] => pair[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(String(value))}"`)
    .join('');
  return `<${tag}${rendered}>`;
}
