/** The longest regular-expression source a rule or detector accepts. */
export const MAX_PATTERN_LENGTH = 200;

/**
 * Why a regular expression is refused, or undefined when it is accepted: too long, or prone to catastrophic
 * backtracking in the cheap-to-detect shapes — a quantified group that itself contains an unbounded quantifier
 * (`(a+)+`, `(\w*x)*`, `(?:a|b+){2,}`) or a back-reference (`(a*)\1`). The check is a linear scan, not a proof:
 * the input length a pattern is run on is capped as well.
 */
export function unsafeRegexReason(source: string): string | undefined {
  if (source.length > MAX_PATTERN_LENGTH) return `longer than ${MAX_PATTERN_LENGTH} characters`;
  const groupHasUnbounded: boolean[] = [];
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (char === '\\') {
      const next = source[index + 1] ?? '';
      if (!inClass && /[1-9k]/.test(next)) return 'back-references are not allowed';
      index++;
      continue;
    }
    if (inClass) {
      if (char === ']') inClass = false;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === '(') groupHasUnbounded.push(false);
    else if (char === ')') {
      const innerUnbounded = groupHasUnbounded.pop() ?? false;
      const quantifier = quantifierAt(source, index + 1);
      if (quantifier.unbounded && innerUnbounded) return 'nested unbounded quantifiers (catastrophic backtracking)';
      if ((innerUnbounded || quantifier.unbounded) && groupHasUnbounded.length > 0) {
        groupHasUnbounded[groupHasUnbounded.length - 1] = true;
      }
    } else if (quantifierAt(source, index).unbounded && groupHasUnbounded.length > 0) {
      groupHasUnbounded[groupHasUnbounded.length - 1] = true;
    }
  }
  return undefined;
}

function quantifierAt(source: string, index: number): { unbounded: boolean } {
  const char = source[index];
  if (char === '+' || char === '*') return { unbounded: true };
  if (char === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(index, index + 16));
    return { unbounded: match !== null && match[2] !== undefined && (match[3] ?? '') === '' };
  }
  return { unbounded: false };
}

/** Compiles a rule's pattern: case-insensitive; throws the engine's message for an invalid or unsafe one. */
export function compileSafeRegex(source: string): RegExp {
  const unsafe = unsafeRegexReason(source);
  if (unsafe !== undefined) throw new Error(`unsafe regular expression: ${unsafe}`);
  try {
    return new RegExp(source, 'i');
  } catch (error) {
    throw new Error(`invalid regular expression: ${(error as Error).message}`);
  }
}
