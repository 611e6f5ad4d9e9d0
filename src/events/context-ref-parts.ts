/**
 * A reference as contextRefOf made it, with its parts: the readable prefix (`ctx_<kind>_<agent>_`) and the 24 hex
 * digits as three 32-bit words. The router hands them to the hot tier with the record it just made, and the hot tier
 * stores exactly these parts: it need not parse the digits back nor check the prefix against the ref. Filled in place
 * (one per router), so an emit allocates nothing for it.
 */
export class ContextRefParts {
  ref = '';
  prefix = '';
  h0 = 0;
  h1 = 0;
  h2 = 0;
}

/** The hash words alone (what contextHash fills). */
export type HashWords = Pick<ContextRefParts, 'h0' | 'h1' | 'h2'>;
