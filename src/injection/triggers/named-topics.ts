import { PhraseSet } from './phrase-set.js';
import { tokenize } from './tokenize.js';

/** A named topic and the keywords that signal it (whole words, phrases, trailing `*` for prefixes). */
export interface NamedTopic {
  name: string;
  keywords: readonly string[];
}

/** A topic found in a text, with the keyword that signalled it. */
export interface TopicMatch {
  name: string;
  keyword: string;
}

/** Named-topic detection: which of a fixed list of topics a text mentions. Compiled once, stateless. */
export class NamedTopicDetector {
  private readonly topics: { name: string; keywords: PhraseSet }[];

  constructor(topics: readonly NamedTopic[]) {
    this.topics = topics.map((topic) => ({ name: topic.name, keywords: new PhraseSet(topic.keywords) }));
  }

  /** The topics mentioned, in configuration order; pass `tokens` when the caller already has them. */
  detect(text: string, tokens: readonly string[] = tokenize(text)): TopicMatch[] {
    const found: TopicMatch[] = [];
    for (const topic of this.topics) {
      const keyword = topic.keywords.find(tokens);
      if (keyword !== undefined) found.push({ name: topic.name, keyword });
    }
    return found;
  }
}
