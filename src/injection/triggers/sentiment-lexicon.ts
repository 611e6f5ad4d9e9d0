// A small English sentiment lexicon written for this repository (no model, no download): a few hundred common
// words with valences in [-1, 1], in the spirit of AFINN and VADER but written from scratch. Grouped by valence.
const GROUPS: readonly (readonly [number, string])[] = [
  [1, 'amazing awesome excellent fantastic outstanding perfect superb wonderful brilliant incredible phenomenal'],
  [0.9, 'love loved loving thrilled delighted ecstatic overjoyed marvelous magnificent exceptional'],
  [0.8, 'great happy glad excited joy joyful grateful thankful beautiful best impressive elated adore'],
  [
    0.7,
    'enjoy enjoyed enjoying pleased proud relieved wow terrific lovely fabulous success successful win won ' +
      'winning celebrate celebrating congrats congratulations',
  ],
  [
    0.6,
    'good nice cool fun like liked likes helpful useful thanks thank appreciate appreciated confident hopeful ' +
      'optimistic inspired motivated energized calm peaceful comfortable satisfied kind friendly smart solved',
  ],
  [
    0.5,
    'better improved improving progress positive easy simple clear works working fixed safe secure ready ' +
      'interesting welcome fine sure agree agreed yay fair promising sweet cheerful laugh laughing relaxed',
  ],
  [0.4, 'ok okay alright decent right correct stable steady support supported recommend reasonable hope'],
  [0.3, 'interested curious possible willing open'],
  [-0.3, 'unsure doubt doubtful odd strange slow late busy tired meh bored boring long expensive'],
  [
    -0.4,
    'problem problems issue issues bug bugs wrong difficult hard tough unclear complicated confusing confused ' +
      'concerned concern mistake mistakes lost stuck missing delay delayed tricky weird unfortunately',
  ],
  [
    -0.5,
    'bad worse poor sad unhappy worried worry worrying nervous tense uneasy annoyed annoying frustrating ' +
      'frustrated frustration disappointed disappointing fail failed failing failure broken error errors ' +
      'crash crashed crashes lonely sorry regret ugly useless pointless struggle struggling',
  ],
  [
    -0.6,
    'stressed stress stressful anxious anxiety overwhelmed overwhelming exhausted burnout burned scared afraid ' +
      'fear fearful upset hurt hurts pain painful angry mad unfair hopeless helpless desperate depressed ' +
      'crying cry cried miserable sick lose losing loss panic panicking dread',
  ],
  [
    -0.8,
    'hate hated hates awful terrible horrible furious disgusting disgusted devastated heartbroken ' +
      'outraged livid worst nightmare disaster catastrophe unbearable ruined destroyed pathetic',
  ],
  [-1, 'abysmal atrocious despise loathe suicidal hopelessness agony'],
];

/** Word → valence in [-1, 1]. */
export const SENTIMENT_LEXICON: ReadonlyMap<string, number> = buildLexicon();

/** Words that flip (and damp) the valence of the next few words. */
export const NEGATORS: ReadonlySet<string> = new Set(
  (
    "not no never none nothing nobody neither nor without hardly barely isn't aren't wasn't weren't don't doesn't " +
    "didn't can't cannot couldn't won't wouldn't shouldn't haven't hasn't hadn't ain't"
  ).split(' '),
);

/** Words that strengthen the next sentiment word, with their multiplier. */
export const INTENSIFIERS: ReadonlyMap<string, number> = new Map([
  ['very', 1.5],
  ['really', 1.5],
  ['so', 1.4],
  ['extremely', 1.8],
  ['incredibly', 1.7],
  ['totally', 1.5],
  ['absolutely', 1.6],
  ['super', 1.5],
  ['completely', 1.6],
  ['quite', 1.2],
  ['pretty', 1.15],
  ['too', 1.3],
  ['deeply', 1.6],
  ['seriously', 1.5],
  ['kinda', 0.7],
  ['slightly', 0.6],
  ['somewhat', 0.7],
  ['little', 0.7],
]);

function buildLexicon(): Map<string, number> {
  const lexicon = new Map<string, number>();
  for (const [valence, words] of GROUPS) for (const word of words.split(' ')) lexicon.set(word, valence);
  return lexicon;
}
