export const CONTEXT_KEY_PATTERN = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
export const CONTEXT_KEY_MAX_LENGTH = 256;
