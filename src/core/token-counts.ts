/** The tokenizer encodings the engine counts with (gpt-tokenizer). */
export const TOKEN_ENCODINGS = ['o200k_base', 'cl100k_base'] as const;
export type TokenEncoding = (typeof TOKEN_ENCODINGS)[number];

/** Token counts of one stored text, computed once when it is written, per encoding. */
export type TokenCounts = Readonly<Record<TokenEncoding, number>>;
