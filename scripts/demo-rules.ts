/**
 * Keyword rules that give the bundled demo articles (English Wikinews, 2019) a
 * section and a few tags. They are deliberately plain tables, so anyone can see
 * why an article landed where it did and change it; `scripts/build-demo.ts`
 * applies them to the whole corpus.
 */

/** Word boundaries that work for accented letters and for names ending in a dot ("U.S."). */
const BEFORE = '(?<![\\p{L}\\p{N}_])';
const AFTER = '(?![\\p{L}\\p{N}_])';

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

/** The demo site's sections, in the order of priority used to break ties. */
export const SECTIONS = [
  'World',
  'Politics',
  'Business',
  'Science',
  'Technology',
  'Health',
  'Environment',
  'Sport',
  'Culture',
] as const;

export type Section = (typeof SECTIONS)[number];

/** The section an article gets when no rule scores at least MIN_SECTION_SCORE. */
export const FALLBACK_SECTION: Section = 'World';

/**
 * A keyword in the title counts this many times as one in the lead: the
 * headline says what the story is about, the lead also sets the scene.
 */
export const TITLE_WEIGHT = 3;

/** How much of the body is read for section keywords (about the first two paragraphs). */
export const SECTION_LEAD_CHARS = 600;

/**
 * The winning section must score at least this much: one keyword in the title,
 * or three in the lead. A passing mention or two ("taken to hospital",
 * "industry sources said") is not enough to move a story out of World.
 */
export const MIN_SECTION_SCORE = 3;

/**
 * Keyword rules. A keyword matches whole words only, case-insensitively, and
 * also matches its plural (+s / +es). A keyword written with two or more
 * capitals (NASA, Grand Prix) is a name and must match its case exactly.
 * `mergeInto` is where a section's articles go if it ends up too small to keep.
 *
 * World's keywords (war, military, protest…) let hard news about conflict win a
 * tie against Politics; World is also the fallback when nothing matches.
 * Storms are named by kind ("tropical storm", "rainstorm") because bare "storm"
 * is as often a verb ("millions to storm Area 51").
 */
// biome-ignore format: a table reads best with several keywords a line
export const SECTION_RULES: readonly { section: Section; mergeInto: Section; keywords: readonly string[] }[] = [
  {
    section: 'World',
    mergeInto: 'World',
    keywords: [
      'war', 'military', 'troop', 'soldier', 'army', 'militant', 'rebel', 'insurgent', 'terrorist', 'terrorism',
      'airstrike', 'missile', 'ceasefire', 'coup', 'refugee', 'migrant', 'protest', 'protester', 'demonstration',
    ],
  },
  {
    section: 'Politics',
    mergeInto: 'World',
    keywords: [
      'election', 'elected', 'electoral', 'parliament', 'parliamentary', 'president', 'presidential', 'minister',
      'vote', 'voted', 'voting', 'voter', 'referendum', 'senate', 'senator', 'congress', 'congressional',
      'legislature', 'legislative', 'legislator', 'lawmaker', 'governor', 'impeach', 'impeached', 'impeachment',
      'Brexit', 'prorogation', 'politician', 'political', 'candidate', 'cabinet', 'leader',
    ],
  },
  {
    section: 'Business',
    mergeInto: 'World',
    keywords: [
      'market', 'company', 'companies', 'shares', 'shareholder', 'stock', 'economy', 'economic', 'bank', 'trade',
      'tariff', 'business', 'profit', 'revenue', 'investor', 'investment', 'acquire', 'acquires', 'acquired',
      'acquisition', 'merger', 'enterprise', 'industry', 'inflation', 'unemployment', 'bankruptcy', 'financial',
      'manufacturer', 'automaker', 'carmaker', 'Securities and Exchange Commission', 'CEO', 'GDP',
    ],
  },
  {
    section: 'Science',
    mergeInto: 'Technology',
    keywords: [
      'scientist', 'scientific', 'study', 'studies', 'research', 'researcher', 'space', 'NASA', 'species', 'fossil',
      'astronomer', 'astronomy', 'planet', 'planetary', 'exoplanet', 'spacecraft', 'orbit', 'astronaut', 'cosmonaut',
      'physics', 'physicist', 'chemistry', 'biologist', 'biology', 'archaeologist', 'archaeology', 'dinosaur',
      'telescope', 'Martian', 'oceanographer', 'extraterrestrial', 'findings', 'Nobel Prize',
    ],
  },
  {
    section: 'Technology',
    mergeInto: 'Science',
    keywords: [
      'software', 'internet', 'Google', 'app', 'cyber', 'cyberattack', 'hacker', 'hacking', 'computer',
      'smartphone', 'Facebook', 'online', 'website', 'dark web', 'artificial intelligence', 'robot', 'technology',
      'invent', 'invention', 'inventor', 'engineering',
    ],
  },
  {
    section: 'Health',
    mergeInto: 'Science',
    keywords: [
      'disease', 'hospital', 'vaccine', 'vaccination', 'health', 'Ebola', 'measles', 'outbreak', 'epidemic',
      'virus', 'infection', 'infectious', 'patient', 'medical', 'medicine', 'opioid', 'abortion', 'superbug',
      'bacteria', 'suicide',
    ],
  },
  {
    section: 'Environment',
    mergeInto: 'Science',
    keywords: [
      'climate', 'wildfire', 'earthquake', 'tropical storm', 'winter storm', 'storm surge', 'rainstorm',
      'snowstorm', 'thunderstorm', 'flood', 'flooding', 'environment', 'environmental',
      'hurricane', 'typhoon', 'cyclone', 'tornado', 'volcano', 'eruption', 'pollution', 'emissions', 'rainforest',
      'deforestation', 'drought', 'coral', 'glacier', 'ice shelf', 'warming', 'tsunami', 'landslide', 'aftershock',
      'conservation', 'endangered',
    ],
  },
  {
    section: 'Sport',
    mergeInto: 'Culture',
    keywords: [
      'football', 'soccer', 'cricket', 'Olympic', 'Olympics', 'tournament', 'championship', 'match', 'cup',
      'marathon', 'athlete', 'athletics', 'tennis', 'golf', 'rugby', 'basketball', 'baseball', 'hockey', 'medal',
      'hurdles', 'Grand Prix', 'league', 'stadium', 'boxing', 'cyclist', 'world record', 'FIFA', 'UEFA', 'NFL', 'NBA',
    ],
  },
  {
    section: 'Culture',
    mergeInto: 'World',
    keywords: [
      'film', 'music', 'festival', 'award', 'museum', 'actor', 'actress', 'singer', 'songwriter', 'musician',
      'drummer', 'album', 'novel', 'novelist', 'artist', 'painting', 'theatre', 'theater', 'premiere', 'convention',
      'fan', 'anime', 'manga', 'cosplay', 'comic', 'celebrity', 'Hollywood', 'mockumentary', 'documentary', 'opera',
      'fashion', 'designer', 'radio host', 'television host', 'Person of the Year',
    ],
  },
];

/** Sections ranked by score for one article, best first; only sections that score above zero. */
export function rankSections(title: string, body: string): { section: Section; score: number }[] {
  const lead = leadText(body, SECTION_LEAD_CHARS);
  return SECTION_RULES.map((rule, order) => ({
    section: rule.section,
    order,
    score: rule.keywords.reduce((sum, k) => sum + TITLE_WEIGHT * countKeyword(title, k) + countKeyword(lead, k), 0),
  }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .map(({ section, score }) => ({ section, score }));
}

/**
 * The section for an article: the best-scoring rule (ties go to the earlier
 * section in SECTIONS), or World when nothing scores MIN_SECTION_SCORE.
 * Sections listed in `exclude` are skipped, which is how a section that is too
 * small is folded into the article's next-best one.
 */
export function assignSection(title: string, body: string, exclude: ReadonlySet<Section> = new Set()): Section {
  const ranked = rankSections(title, body).filter((s) => s.score >= MIN_SECTION_SCORE);
  const best = ranked.find((s) => !exclude.has(s.section));
  if (best) return best.section;
  // Only excluded sections matched: follow the first one's merge chain to a section still in use.
  let section = ranked[0]?.section ?? FALLBACK_SECTION;
  for (let hops = 0; exclude.has(section) && hops < SECTIONS.length; hops++) {
    section = SECTION_RULES.find((r) => r.section === section)?.mergeInto ?? FALLBACK_SECTION;
  }
  return exclude.has(section) ? FALLBACK_SECTION : section;
}

const keywordPatterns = new Map<string, RegExp>();

function countKeyword(text: string, keyword: string): number {
  let re = keywordPatterns.get(keyword);
  if (!re) {
    const acronym = (keyword.match(/\p{Lu}/gu) ?? []).length >= 2;
    re = new RegExp(`${BEFORE}${escapeRegExp(keyword)}(?:e?s)?${AFTER}`, acronym ? 'gu' : 'giu');
    keywordPatterns.set(keyword, re);
  }
  return text.match(re)?.length ?? 0;
}

// ---------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------

/** At most this many tags per article. */
export const MAX_TAGS = 4;

/**
 * Countries, each with the other names and demonyms that refer to it in news
 * copy. The first name is the tag. Matching is case-sensitive ("US" but not
 * "us"), whole-word ("US" not in "USB"), and a name ending in a lowercase letter
 * also matches its plural ("Kenyans").
 *
 * Left out on purpose, because in news copy they are usually something else:
 * "American" (American Journal of…, Latin American), "English" (the language,
 * the English Channel), bare "Korea" and "Korean" (North or South?), "Congolese",
 * "Guinean"; Georgia is in BLOCKED (the US state is as common as the country).
 */
// biome-ignore format: a table reads best with several names a line
export const COUNTRIES: readonly (readonly string[])[] = [
  ['Afghanistan', 'Afghan'],
  ['Albania', 'Albanian'],
  ['Algeria', 'Algerian'],
  ['Andorra', 'Andorran'],
  ['Angola', 'Angolan'],
  ['Antigua and Barbuda'],
  ['Argentina', 'Argentine', 'Argentinian'],
  ['Armenia', 'Armenian'],
  ['Australia', 'Australian'],
  ['Austria', 'Austrian'],
  ['Azerbaijan', 'Azerbaijani'],
  ['Bahamas', 'Bahamian'],
  ['Bahrain', 'Bahraini'],
  ['Bangladesh', 'Bangladeshi'],
  ['Barbados', 'Barbadian'],
  ['Belarus', 'Belarusian'],
  ['Belgium', 'Belgian'],
  ['Belize', 'Belizean'],
  ['Benin', 'Beninese'],
  ['Bhutan', 'Bhutanese'],
  ['Bolivia', 'Bolivian'],
  ['Bosnia and Herzegovina', 'Bosnia', 'Bosnian'],
  ['Botswana'],
  ['Brazil', 'Brazilian'],
  ['Brunei'],
  ['Bulgaria', 'Bulgarian'],
  ['Burkina Faso'],
  ['Burundi', 'Burundian'],
  ['Cambodia', 'Cambodian'],
  ['Cameroon', 'Cameroonian'],
  ['Canada', 'Canadian'],
  ['Cape Verde', 'Cabo Verde'],
  ['Central African Republic'],
  ['Chad', 'Chadian'],
  ['Chile', 'Chilean'],
  ['China', 'Chinese', "People's Republic of China", 'PRC'],
  ['Colombia', 'Colombian'],
  ['Comoros'],
  ['Costa Rica', 'Costa Rican'],
  ['Croatia', 'Croatian'],
  ['Cuba', 'Cuban'],
  ['Cyprus', 'Cypriot'],
  ['Czech Republic', 'Czechia', 'Czech'],
  ['Democratic Republic of the Congo', 'DR Congo', 'DRC', 'Congo'],
  ['Denmark', 'Danish', 'Dane'],
  ['Djibouti'],
  ['Dominica'],
  ['Dominican Republic', 'Dominican'],
  ['East Timor', 'Timor-Leste'],
  ['Ecuador', 'Ecuadorian'],
  ['Egypt', 'Egyptian'],
  ['El Salvador', 'Salvadoran'],
  ['Equatorial Guinea'],
  ['Eritrea', 'Eritrean'],
  ['Estonia', 'Estonian'],
  ['Eswatini', 'Swaziland'],
  ['Ethiopia', 'Ethiopian'],
  ['Fiji', 'Fijian'],
  ['Finland', 'Finnish', 'Finn'],
  ['France', 'French'],
  ['Gabon', 'Gabonese'],
  ['Gambia', 'Gambian'],
  ['Germany', 'German'],
  ['Ghana', 'Ghanaian'],
  ['Greece', 'Greek'],
  ['Grenada'],
  ['Guatemala', 'Guatemalan'],
  ['Guinea'],
  ['Guinea-Bissau'],
  ['Guyana', 'Guyanese'],
  ['Haiti', 'Haitian'],
  ['Honduras', 'Honduran'],
  ['Hungary', 'Hungarian'],
  ['Iceland', 'Icelandic'],
  ['India', 'Indian'],
  ['Indonesia', 'Indonesian'],
  ['Iran', 'Iranian'],
  ['Iraq', 'Iraqi'],
  ['Ireland', 'Republic of Ireland', 'Irish'],
  ['Israel', 'Israeli'],
  ['Italy', 'Italian'],
  ['Ivory Coast', "Côte d'Ivoire", 'Côte d’Ivoire', 'Ivorian'],
  ['Jamaica', 'Jamaican'],
  ['Japan', 'Japanese'],
  ['Jordan', 'Jordanian'],
  ['Kazakhstan', 'Kazakh'],
  ['Kenya', 'Kenyan'],
  ['Kiribati'],
  ['Kosovo'],
  ['Kuwait', 'Kuwaiti'],
  ['Kyrgyzstan', 'Kyrgyz'],
  ['Laos', 'Laotian'],
  ['Latvia', 'Latvian'],
  ['Lebanon', 'Lebanese'],
  ['Lesotho'],
  ['Liberia', 'Liberian'],
  ['Libya', 'Libyan'],
  ['Liechtenstein'],
  ['Lithuania', 'Lithuanian'],
  ['Luxembourg'],
  ['Madagascar', 'Malagasy'],
  ['Malawi', 'Malawian'],
  ['Malaysia', 'Malaysian'],
  ['Maldives', 'Maldivian'],
  ['Mali', 'Malian'],
  ['Malta', 'Maltese'],
  ['Marshall Islands'],
  ['Mauritania', 'Mauritanian'],
  ['Mauritius', 'Mauritian'],
  ['Mexico', 'Mexican'],
  ['Micronesia'],
  ['Moldova', 'Moldovan'],
  ['Monaco'],
  ['Mongolia', 'Mongolian'],
  ['Montenegro'],
  ['Morocco', 'Moroccan'],
  ['Mozambique', 'Mozambican'],
  ['Myanmar', 'Burma', 'Burmese'],
  ['Namibia', 'Namibian'],
  ['Nauru'],
  ['Nepal', 'Nepali', 'Nepalese'],
  ['Netherlands', 'Holland', 'Dutch'],
  ['New Zealand', 'New Zealander'],
  ['Nicaragua', 'Nicaraguan'],
  ['Niger'],
  ['Nigeria', 'Nigerian'],
  ['North Korea', 'North Korean', 'DPRK'],
  ['North Macedonia', 'Macedonia', 'Macedonian'],
  ['Norway', 'Norwegian'],
  ['Oman', 'Omani'],
  ['Pakistan', 'Pakistani'],
  ['Palau'],
  ['Palestine', 'Palestinian', 'Gaza', 'Gaza Strip', 'West Bank'],
  ['Panama', 'Panamanian'],
  ['Papua New Guinea'],
  ['Paraguay', 'Paraguayan'],
  ['Peru', 'Peruvian'],
  ['Philippines', 'Philippine', 'Filipino'],
  ['Poland', 'Polish'],
  ['Portugal', 'Portuguese'],
  ['Qatar', 'Qatari'],
  ['Republic of the Congo', 'Congo-Brazzaville'],
  ['Romania', 'Romanian'],
  ['Russia', 'Russian', 'Russian Federation'],
  ['Rwanda', 'Rwandan'],
  ['Saint Kitts and Nevis'],
  ['Saint Lucia'],
  ['Saint Vincent and the Grenadines'],
  ['Samoa', 'Samoan'],
  ['San Marino'],
  ['São Tomé and Príncipe'],
  ['Saudi Arabia', 'Saudi'],
  ['Senegal', 'Senegalese'],
  ['Serbia', 'Serbian'],
  ['Seychelles'],
  ['Sierra Leone'],
  ['Singapore', 'Singaporean'],
  ['Slovakia', 'Slovak'],
  ['Slovenia', 'Slovenian'],
  ['Solomon Islands'],
  ['Somalia', 'Somali'],
  ['South Africa', 'South African'],
  ['South Korea', 'South Korean', 'Republic of Korea'],
  ['South Sudan', 'South Sudanese'],
  ['Spain', 'Spanish', 'Catalonia', 'Catalan', 'Catalonian'],
  ['Sri Lanka', 'Sri Lankan'],
  ['Sudan', 'Sudanese'],
  ['Suriname'],
  ['Sweden', 'Swedish', 'Swede'],
  ['Switzerland', 'Swiss'],
  ['Syria', 'Syrian'],
  ['Tajikistan'],
  ['Tanzania', 'Tanzanian'],
  ['Thailand', 'Thai'],
  ['Togo', 'Togolese'],
  ['Tonga', 'Tongan'],
  ['Trinidad and Tobago'],
  ['Tunisia', 'Tunisian'],
  ['Turkey', 'Turkish'],
  ['Turkmenistan'],
  ['Tuvalu'],
  ['Uganda', 'Ugandan'],
  ['Ukraine', 'Ukrainian'],
  ['United Arab Emirates', 'UAE', 'Emirati'],
  [
    'United Kingdom', 'UK', 'U.K.', 'Britain', 'Great Britain', 'British', 'Briton',
    'England', 'Scotland', 'Scottish', 'Wales', 'Welsh', 'Northern Ireland',
  ],
  ['United States', 'US', 'U.S.', 'USA', 'U.S.A.', 'United States of America'],
  ['Uruguay', 'Uruguayan'],
  ['Uzbekistan', 'Uzbek'],
  ['Vanuatu'],
  ['Vatican City', 'Vatican', 'Holy See'],
  ['Venezuela', 'Venezuelan'],
  ['Vietnam', 'Vietnamese'],
  ['Yemen', 'Yemeni'],
  ['Zambia', 'Zambian'],
  ['Zimbabwe', 'Zimbabwean'],
];

/**
 * Places that stand for their country in a headline ("Florida highway pileup",
 * "Paris court jails…") or that readers follow as places of their own (Hong
 * Kong, Puerto Rico). The first name is the tag. Cities that share their name
 * with a person or another big place (Wellington, Santiago, Birmingham) are
 * left out.
 */
// biome-ignore format: a table reads best with several names a line
export const PLACES: readonly (readonly string[])[] = [
  ['Hong Kong', 'Hongkonger'],
  ['Taiwan', 'Taiwanese'],
  ['Puerto Rico', 'Puerto Rican'],
  ['Antarctica', 'Antarctic'],
  ['Greenland'],
  ['Bermuda'],
  // US states (not Georgia: see BLOCKED), territories and the biggest cities.
  [
    'United States',
    'Alabama', 'Alaska', 'Arizona', 'Arkansas', 'California', 'Colorado', 'Connecticut', 'Delaware', 'Florida',
    'Hawaii', 'Idaho', 'Illinois', 'Indiana', 'Iowa', 'Kansas', 'Kentucky', 'Louisiana', 'Maine', 'Maryland',
    'Massachusetts', 'Michigan', 'Minnesota', 'Mississippi', 'Missouri', 'Montana', 'Nebraska', 'Nevada',
    'New Hampshire', 'New Jersey', 'New Mexico', 'New York', 'North Carolina', 'North Dakota', 'Ohio', 'Oklahoma',
    'Oregon', 'Pennsylvania', 'Rhode Island', 'South Carolina', 'South Dakota', 'Tennessee', 'Texas', 'Utah',
    'Vermont', 'Virginia', 'Washington', 'West Virginia', 'Wisconsin', 'Wyoming', 'New England',
    'American Samoa', 'American Samoan', 'Guam',
    'New York City', 'Los Angeles', 'Chicago', 'San Francisco', 'Las Vegas', 'Hollywood',
  ],
  [
    'Canada',
    'Ontario', 'Quebec', 'British Columbia', 'Alberta', 'Manitoba', 'Saskatchewan', 'Nova Scotia',
    'Toronto', 'Montreal', 'Vancouver',
  ],
  ['Australia', 'New South Wales', 'Queensland', 'Tasmania', 'Western Australia', 'Sydney', 'Melbourne'],
  ['United Kingdom', 'London', 'Manchester', 'Liverpool', 'Leeds', 'Bristol', 'Glasgow', 'Edinburgh', 'Belfast', 'Cardiff'],
  ['New Zealand', 'Auckland', 'Christchurch'],
  ['Ireland', 'Dublin'],
  ['France', 'Paris', 'Marseille'],
  ['Germany', 'Berlin', 'Munich', 'Hamburg'],
  ['Netherlands', 'Amsterdam'],
  ['Belgium', 'Brussels'],
  ['Spain', 'Madrid', 'Barcelona'],
  ['Portugal', 'Lisbon', 'Azores'],
  ['Italy', 'Rome', 'Milan'],
  ['Greece', 'Athens'],
  ['Austria', 'Vienna'],
  ['Poland', 'Warsaw'],
  ['Czech Republic', 'Prague'],
  ['Hungary', 'Budapest'],
  ['Sweden', 'Stockholm'],
  ['Norway', 'Oslo'],
  ['Denmark', 'Copenhagen'],
  ['Finland', 'Helsinki'],
  ['Russia', 'Moscow', 'Saint Petersburg', 'St. Petersburg'],
  ['Ukraine', 'Kyiv', 'Kiev'],
  ['Turkey', 'Istanbul', 'Ankara'],
  ['Israel', 'Tel Aviv'],
  ['Lebanon', 'Beirut'],
  ['Syria', 'Damascus', 'Aleppo'],
  ['Iraq', 'Baghdad', 'Mosul'],
  ['Iran', 'Tehran'],
  ['Saudi Arabia', 'Riyadh'],
  ['Qatar', 'Doha'],
  ['United Arab Emirates', 'Dubai', 'Abu Dhabi'],
  ['Yemen', "Sana'a", 'Sanaa'],
  ['Afghanistan', 'Kabul'],
  ['Pakistan', 'Islamabad', 'Karachi', 'Lahore'],
  ['India', 'New Delhi', 'Delhi', 'Mumbai', 'Kolkata'],
  ['Bangladesh', 'Dhaka'],
  ['China', 'Beijing', 'Shanghai', 'Wuhan'],
  ['Taiwan', 'Taipei'],
  ['South Korea', 'Seoul'],
  ['North Korea', 'Pyongyang'],
  ['Japan', 'Tokyo', 'Osaka', 'Okinawa'],
  ['Thailand', 'Bangkok'],
  ['Vietnam', 'Hanoi'],
  ['Malaysia', 'Kuala Lumpur'],
  ['Indonesia', 'Jakarta'],
  ['Philippines', 'Manila', 'Mindanao'],
  ['Egypt', 'Cairo'],
  ['Ethiopia', 'Addis Ababa'],
  ['Kenya', 'Nairobi'],
  ['Nigeria', 'Lagos', 'Abuja'],
  ['South Africa', 'Johannesburg', 'Cape Town', 'Pretoria'],
  ['Zimbabwe', 'Harare'],
  ['Democratic Republic of the Congo', 'Kinshasa'],
  ['Sudan', 'Khartoum'],
  ['Cuba', 'Havana'],
  ['Mexico', 'Mexico City'],
  ['Venezuela', 'Caracas'],
  ['Colombia', 'Bogotá'],
  ['Peru', 'Lima'],
  ['Argentina', 'Buenos Aires'],
  ['Brazil', 'Rio de Janeiro', 'São Paulo', 'Brasília'],
  ['Chile', 'Easter Island', 'Rapa Nui'],
  ['Vatican City', 'Pope Francis'],
];

/** Organisations common enough in international news to be worth following. */
export const ORGANISATIONS: readonly (readonly string[])[] = [
  ['United Nations', 'UN', 'U.N.', 'UN General Assembly', 'UN Security Council'],
  ['European Union', 'EU', 'E.U.', 'European Commission', 'European Parliament', 'European Court of Justice'],
  ['NATO'],
  ['NASA'],
  ['SpaceX'],
  ['International Space Station', 'ISS'],
  ['European Space Agency', 'ESA'],
  ['Roscosmos'],
  ['World Health Organization', 'World Health Organisation', 'WHO'],
  ['FIFA'],
  ['UEFA'],
  ['International Olympic Committee', 'IOC'],
  ['African Union'],
  ['G7', 'G-7', 'Group of Seven'],
  ['OPEC'],
  ['World Bank'],
  ['International Monetary Fund', 'IMF'],
  ['World Trade Organization', 'WTO'],
  ['UNESCO', 'United Nations Educational, Scientific and Cultural Organization'],
  ['UNICEF'],
  ['Interpol'],
  ['Red Cross'],
  ['Amnesty International'],
  ['Taliban'],
  ['Islamic State', 'ISIS', 'ISIL', 'Daesh'],
  ['Al-Qaeda', 'al-Qaeda', 'Al Qaeda', 'al Qaeda'],
  ['Boko Haram'],
  ['Hezbollah'],
  ['Hamas'],
  ['Boeing'],
  ['Facebook'],
  ['Google'],
  ['Huawei'],
  ['WikiLeaks'],
];

/**
 * Phrases that contain a gazetteer name but are not about that place; matching
 * them first stops "Gulf of Mexico" tagging Mexico or "Indian Ocean" India.
 */
export const BLOCKED: readonly string[] = [
  'Georgia',
  'Georgian',
  'Gulf of Mexico',
  'Indian Ocean',
  'American Indian',
  'South China Sea',
  'East China Sea',
  'New Guinea',
  'English Channel',
  'Egyptian Theatre',
  'Turkey vulture',
];

type GazetteerEntry = { alias: string; tag: string | null; pattern: RegExp };

/** Every name to look for; a name listed twice (a country in COUNTRIES and PLACES) is looked for once. */
const GAZETTEER: readonly GazetteerEntry[] = [
  ...new Map(
    [
      ...[...COUNTRIES, ...PLACES, ...ORGANISATIONS].flatMap(([tag, ...aliases]) =>
        [tag as string, ...aliases].map((alias) => entry(alias, tag as string)),
      ),
      ...BLOCKED.map((alias) => entry(alias, null)),
    ].map((e) => [e.alias, e]),
  ).values(),
];

function entry(alias: string, tag: string | null): GazetteerEntry {
  const plural = /\p{Ll}$/u.test(alias) ? 's?' : '';
  return { alias, tag, pattern: new RegExp(`${BEFORE}${escapeRegExp(alias)}${plural}${AFTER}`, 'gu') };
}

/**
 * Every gazetteer tag mentioned in the title or lead, best first: named in the
 * title scores TITLE_WEIGHT, named in the lead scores 1, and ties go to the
 * earlier mention. Presence counts, not repetition, so "Doha, Qatar" does not
 * make Qatar outrank the country in the headline. Where names overlap the
 * longest wins ("South Sudan" is not also "Sudan", "New South Wales" is not
 * Wales).
 */
export function rankTags(title: string, lead: string): string[] {
  const scores = new Map<string, { score: number; first: number }>();
  const add = (text: string, weight: number, offset: number) => {
    const seen = new Set<string>();
    for (const m of findMentions(text)) {
      if (m.tag === null || seen.has(m.tag)) continue;
      seen.add(m.tag);
      const s = scores.get(m.tag) ?? { score: 0, first: offset + m.start };
      s.score += weight;
      scores.set(m.tag, s);
    }
  };
  add(title, TITLE_WEIGHT, 0);
  add(lead, 1, title.length + 1);
  return [...scores.entries()]
    .sort(([a, x], [b, y]) => y.score - x.score || x.first - y.first || a.localeCompare(b))
    .map(([tag]) => tag);
}

/**
 * Tags mentioned anywhere in a long text, most mentioned first (ties go to the
 * earlier mention). For an article whose title and lead name no place: over a
 * whole body, how often a place comes up is a fair guide to what it is about.
 */
export function rankTagsByMentions(text: string): string[] {
  const counts = new Map<string, { n: number; first: number }>();
  for (const m of findMentions(text)) {
    if (m.tag === null) continue;
    const c = counts.get(m.tag) ?? { n: 0, first: m.start };
    c.n++;
    counts.set(m.tag, c);
  }
  return [...counts.entries()].sort(([, x], [, y]) => y.n - x.n || x.first - y.first).map(([tag]) => tag);
}

/** The article's tags: the best MAX_TAGS of rankTags. */
export function assignTags(title: string, lead: string): string[] {
  return rankTags(title, lead).slice(0, MAX_TAGS);
}

/** Non-overlapping gazetteer mentions in reading order, preferring the longest name at each position. */
function findMentions(text: string): { start: number; end: number; tag: string | null }[] {
  const all: { start: number; end: number; tag: string | null }[] = [];
  for (const { tag, pattern } of GAZETTEER) {
    for (const m of text.matchAll(pattern)) all.push({ start: m.index, end: m.index + m[0].length, tag });
  }
  all.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: typeof all = [];
  let end = 0;
  for (const m of all) {
    if (m.start < end) continue;
    kept.push(m);
    end = m.end;
  }
  return kept;
}

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

/**
 * The article's first real paragraph. A few Wikinews bodies open with the
 * colour key of a map or chart that is not in the text ("██ Labour Party - 203
 * seats"); those lines say nothing about the story, so they are skipped.
 */
export function leadParagraph(body: string): string {
  const paragraphs = body.split(/\n{2,}/).map((p) => p.trim());
  return paragraphs.find((p) => p !== '' && !isChartKey(p)) ?? '';
}

/** The opening of the body, chart keys skipped, cut to about `chars` characters at a word break. */
export function leadText(body: string, chars: number): string {
  const text = body
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '' && !isChartKey(p))
    .join('\n\n');
  if (text.length <= chars) return text;
  const cut = text.slice(0, chars);
  const space = cut.search(/\s\S*$/);
  return space > 0 ? cut.slice(0, space) : cut;
}

function isChartKey(paragraph: string): boolean {
  return /^[\u2580-\u259f]/.test(paragraph);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
