/**
 * SegmentQL benchmark (§8): 1,000 and 10,000 realistic audiences evaluated against one
 * ~50-field profile. Prints the median time of a full evaluation with
 * compileAll().evaluate and with the naive AST walk over all 1,000
 * (evaluateAllNaive), and their ratio. Figures only; nothing is asserted
 * except that both engines agree.
 *
 * Run: npm run bench -- segmentql
 */
import { compileAll, evaluateAllNaive, parse, type Profile, type SegmentAst } from "../edge/segmentql/index";
// The same seeded PRNG as the differential tests, so every run benchmarks the same audiences.
import { prng } from "../test/unit/segmentql/gen";

const AUDIENCES = 1000;
const NOW = Date.UTC(2024, 5, 1, 12);
const H = 3_600_000;
const D = 24 * H;

const rnd = prng(8);
const int = (n: number): number => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
const some = <T>(xs: readonly T[], n: number): T[] => [...xs].sort(() => rnd() - 0.5).slice(0, n);
const q = (s: string): string => JSON.stringify(s);
const list = (xs: readonly (string | number)[]): string =>
  xs.map((x) => (typeof x === "string" ? q(x) : String(x))).join(", ");

const COUNTRIES = ["US", "CA", "GB", "FR", "DE", "ES", "IT", "BR", "MX", "JP", "IN", "AU", "NL", "SE"];
const DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "acme.io", "example.org", "corp.net"];
const TAGS = [
  "vip",
  "beta",
  "churn_risk",
  "newsletter",
  "webinar",
  "trial",
  "partner",
  "b2b",
  "b2c",
  "promo",
  "loyal",
  "returning",
];
const INTERESTS = ["running", "cycling", "yoga", "tennis", "golf", "hiking", "swimming", "ski", "climbing", "fitness"];
const TOPICS = ["pricing", "security", "ai", "analytics", "mobile", "cloud", "devops", "design"];
const INDUSTRIES = ["retail", "finance", "media", "health", "education", "saas", "travel", "gaming"];
const SOURCES = ["google", "facebook", "newsletter", "linkedin", "twitter", "bing", "direct", "partner"];
const PAGES = ["/pricing", "/blog", "/docs", "/signup", "/features", "/about", "/careers", "/checkout"];

/** One audience in SegmentQL text, from a pool of realistic templates. */
function audienceText(k: number): string {
  const earlier = k > 0 ? `aud_${int(k)}` : "aud_none";
  const body = ((): string => {
    switch (k % 20) {
      case 0:
        return `AND ( visitct > ${1 + int(20)}, last_visit > "now-${1 + int(30)}d" )`;
      case 1:
        return `AND ( country IN (${list(some(COUNTRIES, 1 + int(4)))}), score_momentum >= ${int(100)} )`;
      case 2:
        return `OR ( email LIKE "*@${pick(DOMAINS)}", email_domain = ${q(pick(DOMAINS))} )`;
      case 3:
        return `AND ( tags INTERSECTS (${list(some(TAGS, 2 + int(3)))}), NOT is_unsubscribed = true )`;
      case 4:
        return `AND ( ltv BETWEEN ${int(500)} AND ${500 + int(5000)}, orders >= ${1 + int(5)}, last_order > "now-${7 + int(90)}d" )`;
      case 5:
        return `AND ( EXISTS email, paying_user = "t", plan IN ("pro", "enterprise") )`;
      case 6:
        return `AND ( url LIKE "*${pick(PAGES)}*", visitct >= ${1 + int(5)} )`;
      case 7:
        return `AND ( hourofday.${int(24)} > ${int(5)}, dayofweek.${int(7)} > ${int(3)} )`;
      case 8:
        return `OR ( utm_source = ${q(pick(SOURCES))}, utm_campaign LIKE "${pick(["spring", "summer", "bf", "launch"])}*", referrer_domain IN (${list(some(DOMAINS, 2))}) )`;
      case 9:
        return `AND ( first_visit > "now-${7 + int(60)}d", NOT EXISTS last_order )`;
      case 10:
        return `AND ( INCLUDE ${earlier}, score_propensity > ${int(100)} )`;
      case 11:
        return `AND ( device = "mobile", os IN ("ios", "android"), app_installed = true )`;
      case 12:
        return `AND ( industry IN (${list(some(INDUSTRIES, 3))}), employees BETWEEN "50" AND ${100 + int(5000)}, job_title CONTAINS ${q(pick(["director", "vp", "manager", "engineer"]))} )`;
      case 13:
        return `NOT OR ( country = ${q(pick(COUNTRIES))}, language = ${q(pick(["en", "fr", "de", "es"]))} )`;
      case 14:
        return `AND ( content_topics.${pick(TOPICS)} >= 0.${1 + int(8)}, last_visit > "now-${1 + int(21)}d" )`;
      case 15:
        return `AND ( age BETWEEN ${18 + int(20)} AND ${40 + int(30)}, gender = ${q(pick(["f", "m", "x"]))}, interests INTERSECTS (${list(some(INTERESTS, 3))}) )`;
      case 16:
        return `OR ( AND ( city = ${q(pick(["Paris", "Austin", "Berlin", "Tokyo"]))}, region = ${q(pick(["IDF", "TX", "BE", "13"]))} ), zip LIKE "${int(99)}*" )`;
      case 17:
        return `AND ( _created < "now-${30 + int(700)}d", _modified > "now-${1 + int(48)}h" )`;
      case 18:
        return `AND ( cart_value > ${int(200)}, last_visit > "now-${1 + int(6)}h", NOT INCLUDE ${earlier} )`;
      default:
        return `AND ( email NOT LIKE "*@test.com", first_name != "", EXISTS last_name, visitct BETWEEN 2 AND ${3 + int(50)} )`;
    }
  })();
  return `FILTER ${body}\nFROM user\nALIAS aud_${k}`;
}

/** A realistic profile with ~50 fields (values vary per seed). */
function profile(seed: number): Profile {
  const r = prng(seed);
  const ri = (n: number): number => Math.floor(r() * n);
  const rp = <T>(xs: readonly T[]): T => xs[ri(xs.length)] as T;
  const hours: Record<string, number> = {};
  for (let h = 0; h < 24; h++) hours[String(h)] = ri(8);
  const days: Record<string, number> = {};
  for (let d = 0; d < 7; d++) days[String(d)] = ri(6);
  const topics: Record<string, number> = {};
  for (const t of TOPICS) topics[t] = Math.round(r() * 100) / 100;
  const domain = rp(DOMAINS);
  return {
    _uids: [`uid-${seed}`, `u${ri(1e6)}`],
    _created: new Date(NOW - ri(900) * D).toISOString(),
    _modified: new Date(NOW - ri(72) * H).toISOString(),
    _sessions: ri(200),
    visitct: ri(60),
    first_visit: new Date(NOW - ri(120) * D).toISOString(),
    last_visit: NOW - ri(30 * H),
    url: Array.from({ length: 6 }, () => `https://www.example.com${rp(PAGES)}?ref=${ri(99)}`),
    hourofday: hours,
    dayofweek: days,
    email: `person${seed}@${domain}`,
    email_domain: domain,
    first_name: rp(["Ann", "Bob", "Chloé", "Dev", ""]),
    last_name: rp(["Smith", "Martin", "Nguyen", "García"]),
    country: rp(COUNTRIES),
    city: rp(["Paris", "Austin", "Berlin", "Tokyo", "Lyon"]),
    region: rp(["IDF", "TX", "BE", "13", "ARA"]),
    zip: String(10000 + ri(89999)),
    language: rp(["en", "fr", "de", "es", "ja"]),
    device: rp(["mobile", "desktop", "tablet"]),
    browser: rp(["chrome", "safari", "firefox"]),
    os: rp(["ios", "android", "macos", "windows"]),
    utm_source: rp(SOURCES),
    utm_medium: rp(["cpc", "email", "social", "organic"]),
    utm_campaign: rp(["spring_sale", "summer24", "bf_2023", "launch_x", "always_on"]),
    referrer_domain: rp(DOMAINS),
    score_momentum: ri(100),
    score_quantity: ri(100),
    score_frequency: ri(100),
    score_recency: ri(100),
    score_intensity: ri(100),
    score_consistency: ri(100),
    score_propensity: String(ri(100)),
    ltv: Math.round(r() * 8000 * 100) / 100,
    orders: ri(12),
    last_order: r() < 0.3 ? null : NOW - ri(200) * D,
    cart_value: String(Math.round(r() * 400)),
    paying_user: rp(["t", "f"]),
    is_unsubscribed: rp([true, false, "false"]),
    plan: rp(["free", "pro", "enterprise"]),
    tags: some(TAGS, 3),
    interests: some(INTERESTS, 4),
    company: rp(["Acme", "Globex", "Initech"]),
    industry: rp(INDUSTRIES),
    employees: String(10 + ri(10000)),
    job_title: rp(["Director of Marketing", "VP Sales", "Engineer", "Product Manager"]),
    age: 18 + ri(60),
    gender: rp(["f", "m", "x"]),
    app_installed: r() < 0.4,
    push_enabled: rp(["t", "f"]),
    last_email_open: new Date(NOW - ri(40) * D).toISOString(),
    content_topics: topics,
    loyalty_tier: rp(["bronze", "silver", "gold"]),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

const profiles = Array.from({ length: 16 }, (_, k) => profile(1000 + k));
const fields = Object.keys(profiles[0] as Profile).length;

function percentileOf(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number;
}

function times(runs: number, f: (k: number) => void): number[] {
  const out: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    f(k);
    out.push(performance.now() - t0);
  }
  return out;
}

/** Compiles `count` audiences and times a full evaluation of one profile, compiled and naive. */
function bench(count: number): void {
  const segments: { slug: string; ast: SegmentAst }[] = [];
  for (let k = 0; k < count; k++) segments.push({ slug: `aud_${k}`, ast: parse(audienceText(k)).ast });
  const t0 = performance.now();
  const set = compileAll(segments);
  const compileMs = performance.now() - t0;

  // Both engines must agree before any figure means anything.
  let matched = 0;
  for (const p of profiles) {
    const a = set.evaluate(p, NOW);
    const b = evaluateAllNaive(segments, p, NOW);
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      console.error("segmentql: compiled and naive results differ");
      process.exit(1);
    }
    matched += a.length;
  }

  // Warm up both paths, then measure.
  const scale = Math.max(1, count / 1000);
  for (let k = 0; k < 300 / scale; k++) set.evaluate(profiles[k % profiles.length] as Profile, NOW + k);
  for (let k = 0; k < 30 / scale; k++) evaluateAllNaive(segments, profiles[k % profiles.length] as Profile, NOW + k);

  const compiled = times(Math.round(3000 / scale), (k) =>
    set.evaluate(profiles[k % profiles.length] as Profile, NOW + k),
  );
  const naive = times(Math.round(300 / scale), (k) =>
    evaluateAllNaive(segments, profiles[k % profiles.length] as Profile, NOW + k),
  );
  const boundary = times(Math.round(1000 / scale), (k) =>
    set.nextBoundary(profiles[k % profiles.length] as Profile, NOW + k),
  );
  const ratio = median(naive) / median(compiled);
  console.log(
    `| ${count.toLocaleString("en")} | ${compileMs.toFixed(0)} | ${median(compiled).toFixed(3)} | ${percentileOf(compiled, 99).toFixed(3)} | ${median(naive).toFixed(3)} | ${percentileOf(naive, 99).toFixed(3)} | ${ratio.toFixed(1)}× | ${median(boundary).toFixed(3)} | ${(matched / profiles.length).toFixed(0)} |`,
  );
}

console.log(
  `segmentql: one profile of ${fields} fields (16 variants, interleaved) against N audiences; compiled = compileAll().evaluate, naive = the AST walk of every audience (evaluateAllNaive); goal: evaluation < 1 ms, >= 10× the naive walk`,
);
console.log(
  "| audiences | compileAll ms | compiled p50 ms | compiled p99 ms | naive p50 ms | naive p99 ms | naive ÷ compiled (p50) | nextBoundary p50 ms | matches per profile |",
);
console.log("|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
for (const count of [AUDIENCES, 10_000]) bench(count);
