/** The k best (chunk, score) pairs seen: a binary min-heap on score. */
export class TopK {
  readonly #limit: number;
  readonly #chunks: number[] = [];
  readonly #scores: number[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  get full(): boolean {
    return this.#chunks.length >= this.#limit;
  }

  /** The k-th best score so far (-Infinity until full). */
  get least(): number {
    return this.full ? (this.#scores[0] ?? Number.NEGATIVE_INFINITY) : Number.NEGATIVE_INFINITY;
  }

  offer(chunk: number, score: number): void {
    if (score <= 0) return;
    if (!this.full) {
      this.#chunks.push(chunk);
      this.#scores.push(score);
      this.#up(this.#chunks.length - 1);
    } else if (score > (this.#scores[0] ?? 0)) {
      this.#chunks[0] = chunk;
      this.#scores[0] = score;
      this.#down(0);
    }
  }

  sorted(): { chunk: number; score: number }[] {
    return this.#chunks
      .map((chunk, index) => ({ chunk, score: this.#scores[index] ?? 0 }))
      .sort((left, right) => right.score - left.score || left.chunk - right.chunk);
  }

  #swap(left: number, right: number): void {
    const chunk = this.#chunks[left] ?? 0;
    const score = this.#scores[left] ?? 0;
    this.#chunks[left] = this.#chunks[right] ?? 0;
    this.#scores[left] = this.#scores[right] ?? 0;
    this.#chunks[right] = chunk;
    this.#scores[right] = score;
  }

  #up(index: number): void {
    for (let child = index; child > 0; ) {
      const parent = (child - 1) >> 1;
      if ((this.#scores[parent] ?? 0) <= (this.#scores[child] ?? 0)) return;
      this.#swap(parent, child);
      child = parent;
    }
  }

  #down(index: number): void {
    const size = this.#chunks.length;
    for (let parent = index; ; ) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let least = parent;
      if (left < size && (this.#scores[left] ?? 0) < (this.#scores[least] ?? 0)) least = left;
      if (right < size && (this.#scores[right] ?? 0) < (this.#scores[least] ?? 0)) least = right;
      if (least === parent) return;
      this.#swap(parent, least);
      parent = least;
    }
  }
}
