// Generates bench/data/knowledge-eval.json: multi-session conversations of founders with an assistant, the facts they
// state along the way, and questions (paraphrased, with other wording than the statement) whose relevant item is the
// turn that stated the fact. Deterministic (seeded): `node bench/knowledge-eval-generate.mjs` rewrites the same file.
import { mkdirSync, writeFileSync } from 'node:fs';

function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(20250115);
const pick = (list) => list[Math.floor(random() * list.length)];

const ADJECTIVES = [
  'Bright',
  'Quiet',
  'Copper',
  'North',
  'Velvet',
  'Iron',
  'Maple',
  'Coral',
  'Silver',
  'Amber',
  'Cedar',
  'Lunar',
  'Harbor',
  'Golden',
  'Misty',
  'Rapid',
  'Stone',
  'Willow',
  'Crimson',
  'Azure',
];
const NOUNS = [
  'Fox',
  'Owl',
  'Pine',
  'River',
  'Peak',
  'Lantern',
  'Anchor',
  'Meadow',
  'Falcon',
  'Orchard',
  'Bridge',
  'Comet',
  'Harvest',
  'Beacon',
  'Canyon',
  'Tide',
  'Summit',
  'Grove',
  'Ember',
  'Prairie',
];
const PRODUCTS = [
  'soy candles',
  'yoga mats',
  'cold brew kits',
  'leather wallets',
  'ceramic mugs',
  'dog harnesses',
  'bamboo toothbrushes',
  'hot sauce',
  'linen aprons',
  'phone stands',
  'tea blends',
  'bike lights',
  'beard oil',
  'plant pots',
  'notebooks',
];
const SUPPLIERS = [
  'Lianda Manufacturing',
  'Guangzhou Brightway',
  'Porto Artisans',
  'Hanoi Crafts Co',
  'Monterrey Fabrica',
  'Izmir Textiles',
  'Kraków Workshop',
  'Penang Components',
  'Bursa Mills',
  'Ningbo Precision',
];
const CITIES = ['Shenzhen', 'Guangzhou', 'Porto', 'Hanoi', 'Monterrey', 'Izmir', 'Kraków', 'Penang', 'Bursa', 'Ningbo'];
const SEGMENTS = [
  'busy parents',
  'college students',
  'remote workers',
  'outdoor enthusiasts',
  'small cafés',
  'boutique gyms',
  'pet owners',
  'home bakers',
  'retirees',
  'new homeowners',
];
const REGIONS = [
  'the Pacific Northwest',
  'Texas',
  'the UK',
  'Germany',
  'Ontario',
  'Australia',
  'the Nordics',
  'California',
  'Ireland',
  'the Midwest',
];
const CHANNELS = [
  'Amazon FBA',
  'our Shopify store',
  'Etsy',
  'wholesale to boutiques',
  'farmers markets',
  'Instagram shopping',
  'TikTok Shop',
  'subscription boxes',
];
const RIVALS = [
  'Hearth & Co',
  'Blue Apron Goods',
  'Nomad Supply',
  'Urban Ember',
  'Trailhead Brands',
  'Cozy Corner',
  'Peak Outfitters',
  'Greenleaf Labs',
];
const MATERIALS = [
  'recycled cardboard',
  'compostable mailers',
  'glass jars',
  'kraft paper',
  'tin boxes',
  'cotton pouches',
  'molded pulp',
];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const TOPICS = [
  {
    topic: 'supplier',
    word: 'sourcing',
    fact: (c) => `For ${c.name}, we decided to source the ${c.product} from ${c.supplier} in ${c.city}.`,
    question: (c) => `Which manufacturer is producing ${c.name}'s ${c.product}?`,
  },
  {
    topic: 'budget',
    word: 'budget',
    fact: (c) => `${c.name}'s marketing budget for the launch is capped at $${c.budget.toLocaleString('en-US')}.`,
    question: (c) => `How much can ${c.name} spend on launch marketing?`,
  },
  {
    topic: 'launch',
    word: 'launch',
    fact: (c) => `${c.name} plans to launch the ${c.product} on ${c.month} ${c.day}.`,
    question: (c) => `When do the ${c.product} of ${c.name} go on sale?`,
  },
  {
    topic: 'price',
    word: 'pricing',
    fact: (c) => `We settled on a retail price of $${c.price} for the ${c.product} at ${c.name}.`,
    question: (c) => `What will ${c.name} charge customers for its ${c.product}?`,
  },
  {
    topic: 'market',
    word: 'customers',
    fact: (c) => `${c.name} is targeting ${c.segment} in ${c.region} first.`,
    question: (c) => `Which audience is ${c.name} going after initially?`,
  },
  {
    topic: 'channel',
    word: 'sales',
    fact: (c) => `Most of ${c.name}'s sales will come through ${c.channel}.`,
    question: (c) => `Where will ${c.name} mainly sell?`,
  },
  {
    topic: 'competitor',
    word: 'competition',
    fact: (c) => `The biggest competitor for ${c.name} is ${c.rival}, which undercuts us on price.`,
    question: (c) => `Who is ${c.name}'s main rival?`,
  },
  {
    topic: 'packaging',
    word: 'packaging',
    fact: (c) => `${c.name} chose ${c.material} for packaging to keep shipping costs down.`,
    question: (c) => `What packaging material did ${c.name} go with?`,
  },
];

const FILLERS = [
  (c, t) => `Can you summarize the ${t.word} options for ${c.name} again?`,
  (c, t) => `Let's revisit the ${t.word} plan for the ${c.product} next week.`,
  (c) => `I'm still not sure ${c.name} is ready; what should we look at first?`,
  (_c, t) => `Good question about ${t.word}; I'll check with my co-founder.`,
  () => 'Thanks, that helps a lot. Let me think about it over the weekend.',
  (c) => `Remind me what we discussed last time about the ${c.product}.`,
  (_c, t) => `Other founders often underestimate ${t.word}; keep notes as you go.`,
];

const COMPANIES = 60;
const SESSIONS = 4;
const TURNS_PER_SESSION = 9;
const users = [];
const used = new Set();
while (users.length < COMPANIES) {
  const name = `${pick(ADJECTIVES)} ${pick(NOUNS)}`;
  if (used.has(name)) continue;
  used.add(name);
  const supplierIndex = Math.floor(random() * SUPPLIERS.length);
  users.push({
    id: `u${String(users.length + 1).padStart(2, '0')}`,
    name,
    product: pick(PRODUCTS),
    supplier: SUPPLIERS[supplierIndex],
    city: CITIES[supplierIndex],
    budget: 1000 * (2 + Math.floor(random() * 40)),
    month: pick(MONTHS),
    day: 1 + Math.floor(random() * 28),
    price: 9 + Math.floor(random() * 80),
    segment: pick(SEGMENTS),
    region: pick(REGIONS),
    channel: pick(CHANNELS),
    rival: pick(RIVALS),
    material: pick(MATERIALS),
  });
}

const items = [];
const questions = [];
const start = Date.parse('2025-01-06T09:00:00Z');
for (const [userIndex, user] of users.entries()) {
  // Spread the eight facts over the sessions at random turns; the other turns are small talk about the same topics.
  const slots = [];
  for (let session = 1; session <= SESSIONS; session++)
    for (let turn = 1; turn <= TURNS_PER_SESSION; turn++) slots.push([session, turn]);
  const factSlots = new Map();
  const shuffled = [...slots].sort(() => random() - 0.5);
  for (const [index, topic] of TOPICS.entries()) factSlots.set(shuffled[index].join(':'), topic);
  for (const [session, turn] of slots) {
    const id = `${user.id}-s${session}-t${turn}`;
    const topic = factSlots.get(`${session}:${turn}`);
    const createdAt = new Date(start + ((userIndex * SESSIONS + session) * 24 + turn) * 3_600_000).toISOString();
    const text = topic !== undefined ? topic.fact(user) : pick(FILLERS)(user, pick(TOPICS));
    items.push({ id, text, metadata: { user: user.id, session, turn, role: turn % 2 === 1 ? 'user' : 'assistant' }, createdAt });
    if (topic !== undefined)
      questions.push({
        id: `q-${user.id}-${topic.topic}`,
        question: topic.question(user),
        relevant: [id],
        topic: topic.topic,
        user: user.id,
      });
  }
}

const data = {
  description:
    'Generated multi-session founder conversations (bench/knowledge-eval-generate.mjs, seed 20250115). Each question paraphrases one fact; `relevant` names the turn that stated it.',
  items,
  questions,
};
mkdirSync(new URL('./data/', import.meta.url), { recursive: true });
writeFileSync(new URL('./data/knowledge-eval.json', import.meta.url), `${JSON.stringify(data, null, 1)}\n`);
process.stdout.write(`wrote ${items.length} items and ${questions.length} questions\n`);
