const NO_TIMES = new Float64Array(0);
const NO_COUNTS = new Uint32Array(0);
const FIELDS = 4;
const TOTAL = 0;
const USER = 1;
const ASSISTANT = 2;
const FIRES = 3;

/** The message counts a rule's firing is measured against. */
export interface MessageCounts {
  messages: number;
  userMessages: number;
  assistantMessages: number;
}

/**
 * Per stream, per rule: when it last fired, the message counts at that moment and how often it fired. Two typed
 * arrays sized to the rule set (≈ 40 bytes per rule). Binding another rule set keeps the state of the rules
 * whose ids it shares and starts the others fresh.
 */
export class RuleFireState {
  private ids: readonly string[] = [];
  private times: Float64Array = NO_TIMES;
  private counts: Uint32Array = NO_COUNTS;

  /** Makes the state match a rule set's ids (in order); a no-op when it already does. */
  bind(ids: readonly string[]): void {
    if (ids === this.ids) return;
    const times = new Float64Array(ids.length).fill(Number.NaN);
    const counts = new Uint32Array(ids.length * FIELDS);
    ids.forEach((id, index) => {
      const old = this.ids.indexOf(id);
      if (old === -1) return;
      times[index] = this.times[old] as number;
      counts.set(this.counts.subarray(old * FIELDS, old * FIELDS + FIELDS), index * FIELDS);
    });
    this.ids = ids;
    this.times = times;
    this.counts = counts;
  }

  /** When rule `index` last fired (epoch ms); undefined if never. */
  lastFiredAt(index: number): number | undefined {
    const time = this.times[index] as number;
    return Number.isNaN(time) ? undefined : time;
  }

  /** How many times rule `index` fired in this stream. */
  fires(index: number): number {
    return this.counts[index * FIELDS + FIRES] as number;
  }

  /** Messages (of a role, or all) since rule `index` last fired, or since the stream began. */
  messagesSince(index: number, now: MessageCounts, role?: 'user' | 'assistant' | 'system' | undefined): number {
    const base = index * FIELDS;
    const total = now.messages - (this.counts[base + TOTAL] as number);
    const user = now.userMessages - (this.counts[base + USER] as number);
    const assistant = now.assistantMessages - (this.counts[base + ASSISTANT] as number);
    if (role === 'user') return user;
    if (role === 'assistant') return assistant;
    if (role === 'system') return total - user - assistant;
    return total;
  }

  /** Records that rule `index` fired at `now` with these counts. */
  record(index: number, now: number, counts: MessageCounts): void {
    const base = index * FIELDS;
    this.times[index] = now;
    this.counts[base + TOTAL] = counts.messages;
    this.counts[base + USER] = counts.userMessages;
    this.counts[base + ASSISTANT] = counts.assistantMessages;
    this.counts[base + FIRES] = (this.counts[base + FIRES] as number) + 1;
  }
}
