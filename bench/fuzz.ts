// The long fuzz run (`npm run bench -- fuzz`; the bounded, seeded version
// runs in `npm test`: test/unit/trust-fuzz.test.ts, test/worker/trust-fuzz.test.ts).
//
// Parsers, in this process: legacy query strings and forms, JSON collect
// bodies, SegmentQL text, SegmentQL ASTs (validation, print/parse round
// trip), Avro schemas and values, CSV. Oracle: a parser answers, or throws
// only its own error type; accepted input keeps its shape.
//
// Public endpoints, against a throw-away `wrangler dev`: collect (JSON, form,
// GET pixel), /personalize, SegmentHub bodies, SegmentQL through the API.
// Oracle: 2xx, or a 4xx JSON `{status, message, errors}`; never a 5xx; a
// refused collect stores nothing; an accepted one is readable as sent.
//
// Every case draws from its own seed, printed with any failure:
// `FUZZ_SEED=<seed> npm run bench -- fuzz` runs that one case again and
// prints its input. `FUZZ_CASES` (parsers, per target; default 20,000) and
// `FUZZ_HTTP_CASES` (endpoints, per target; default 300) size the run.
import {
  fromJsonBody,
  fromLegacyFields,
  legacyParams,
  validateEvents,
  type ParsedCollect,
} from "../edge/collect/parse";
import { checkValue, parseSchema } from "../edge/collections/codecs/avro";
import { parseCsv } from "../edge/collections/codecs/csv";
import { ApiError } from "../edge/platform/http/errors";
import { parse as parseSegmentQL, printExpr, SegmentQLError, validateAst } from "../edge/segmentql/index";
import { prng, Rand, randomAst } from "../test/unit/segmentql/gen";
import { ADMIN_TOKEN, seed as seedAccount, startServer } from "./harness";

const ONLY = process.env.FUZZ_SEED === undefined ? null : Number(process.env.FUZZ_SEED);
const CASES = Number(process.env.FUZZ_CASES ?? 20_000);
const HTTP_CASES = Number(process.env.FUZZ_HTTP_CASES ?? 300);
/** Seeds of target `t` are BASE + t * 1,000,000 + case number: each case replays alone. */
const BASE = Number(process.env.FUZZ_BASE ?? 0x5eed);

interface Failure {
  target: string;
  seed: number;
  error: string;
  input: string;
}
const failures: Failure[] = [];

const excerpt = (v: unknown) => {
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return (text ?? String(v)).slice(0, ONLY === null ? 300 : 100_000);
};

class Oracle extends Error {}
const must = (ok: boolean, message: string) => {
  if (!ok) throw new Oracle(message);
};

// ---------------------------------------------------------------- inputs

const PIECES = [
  "a",
  "b",
  "_uid",
  "_uido",
  "_e",
  "_js",
  "k_json",
  "k_len",
  "key",
  "cid",
  "=",
  "&",
  "%",
  "%2",
  "%FF",
  "%zz",
  "%C3%A9",
  "+",
  ".",
  "..",
  "[0]",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "valueOf",
  "hasOwnProperty",
  "é",
  "\u0000",
  "\u2028",
  "\ud800",
  "[",
  "]",
  "{",
  "}",
  '"',
  ":",
  ",",
  "1",
  "-0",
  "1e999",
  "9007199254740993",
];
const junk = (r: Rand, n: number) => Array.from({ length: n }, () => r.pick(PIECES)).join("");
const KEYS = ["plan", "n", "email", "__proto__", "constructor", "toString", "x".repeat(129), "", "a.b", "_uido", "_ts"];

function value(r: Rand, depth = 0): unknown {
  switch (r.int(depth > 5 ? 5 : 8)) {
    case 0:
      return r.pick([null, true, false]);
    case 1:
      return r.pick([0, -1, 1.5, 2 ** 53 + 2, 1e308, -0, Number.MAX_SAFE_INTEGER]);
    case 2:
      return junk(r, r.int(10));
    case 3:
      return depth > 1 ? "y" : "y".repeat(r.pick([0, 1, 16 * 1024, 16 * 1024 + 1]));
    case 4:
      return r.pick(["2024-06-01T12:00:00Z", "now-1d", "not a date", "1717243200000"]);
    case 5:
      // Long arrays hold scalars only, so inputs stay small however deep they nest.
      if (r.chance(0.05)) return Array.from({ length: 990 + r.int(20) }, (_, i) => i);
      return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(KEYS), value(r, depth + 1)]));
  }
}

/** Percent-encodes text; lone surrogates (which encodeURIComponent refuses) go through raw. */
const encode = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return text;
  }
};

function legacyText(r: Rand): string {
  const pairs: string[] = [];
  for (let i = r.int(r.chance(0.02) ? 1500 : 12); i > 0; i--) {
    if (r.chance(0.4)) pairs.push(junk(r, r.int(6)));
    else pairs.push(`${r.pick([...KEYS, "_js", "k_json", "m.a", "m.b"])}=${encode(excerpt(value(r)))}`);
  }
  return pairs.join(r.pick(["&", "&", "&&", ";"]));
}

const SQL_WORDS = [
  "FILTER",
  "AND",
  "OR",
  "NOT",
  "(",
  ")",
  "x",
  "m.k",
  "`odd field`",
  "=",
  "!=",
  ">",
  "<=",
  '"a"',
  '"a\\"b"',
  "1",
  "-2.5",
  "true",
  "IN",
  "LIKE",
  "CONTAINS",
  "INTERSECTS",
  "BETWEEN",
  "EXISTS",
  "INCLUDE",
  "FROM",
  "user",
  "content",
  "ALIAS",
  "s",
  ",",
  '"now-1d"',
  "--",
  "\n",
  "*",
  "'",
];
const sqlText = (r: Rand) => {
  const words = Array.from({ length: r.int(r.chance(0.03) ? 400 : 24) }, () => r.pick(SQL_WORDS)).join(" ");
  return r.chance(0.5) ? `FILTER ${words} FROM user` : words;
};

/** Mutates a JSON value in place at a random spot: drop, retype, nest, poison keys. */
function mutate(r: Rand, v: unknown, depth = 0): unknown {
  if (r.chance(0.15) || depth > 8) return r.chance(0.5) ? value(r) : v;
  if (Array.isArray(v)) {
    const out = v.map((x) => (r.chance(0.3) ? mutate(r, x, depth + 1) : x));
    if (r.chance(0.2)) out.push(value(r));
    if (r.chance(0.2)) out.splice(r.int(out.length + 1), 1);
    return out;
  }
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    for (const k of Object.keys(out)) if (r.chance(0.3)) out[k] = mutate(r, out[k], depth + 1);
    if (r.chance(0.15)) delete out[r.pick(Object.keys(out).concat(["none"]))];
    if (r.chance(0.1)) out[r.pick(["__proto__", "constructor", "extra", "type", "name"])] = value(r);
    return out;
  }
  return v;
}

/** Schema field types as JSON (the parser is what turns them into AvroType). */
const AVRO_TYPES: unknown[] = [
  "null",
  "boolean",
  "int",
  "long",
  "float",
  "double",
  "string",
  "bytes",
  ["null", "string"],
  { type: "array", items: "string" },
  { type: "map", values: "long" },
  { type: "long", logicalType: "timestamp-millis" },
  { type: "int", logicalType: "date" },
  { type: "string", logicalType: "uuid" },
  { type: "enum", name: "E", symbols: ["A", "B"] },
  { type: "record", name: "Inner", fields: [{ name: "k", type: "string" }] },
];

function avroSchema(r: Rand): unknown {
  const fields = Array.from({ length: 1 + r.int(r.chance(0.02) ? 260 : 6) }, (_, i) => ({
    name: r.chance(0.9) ? `f${i}` : junk(r, 3),
    type: r.pick(AVRO_TYPES),
    ...(r.chance(0.2) ? { default: value(r) } : {}),
  }));
  const schema = { type: "record", name: "Row", fields };
  return r.chance(0.6) ? mutate(r, schema) : schema;
}

// ---------------------------------------------------------------- parser targets

type Target = (r: Rand) => unknown;

const parsers: Record<string, Target> = {
  "legacy form": (r) => {
    const text = legacyText(r);
    try {
      const parsed = validateEvents(fromLegacyFields(legacyParams(text)));
      if (parsed.ok)
        for (const e of parsed.events) must(!Object.hasOwn(e, "__proto__"), "__proto__ stored from a legacy body");
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      must(err.status >= 400 && err.status < 500, `ApiError ${err.status}`);
    }
    return text;
  },
  "json collect": (r) => {
    const body = r.chance(0.3) ? Array.from({ length: r.int(r.chance(0.02) ? 230 : 5) }, () => value(r)) : value(r);
    let parsed: ParsedCollect | undefined;
    try {
      const raw = fromJsonBody(JSON.parse(JSON.stringify(body ?? null)));
      parsed = validateEvents(raw);
      if (parsed.ok) must(parsed.events.length === raw.length, "accepted body lost events");
      else must(parsed.errors.length > 0, "refused without errors");
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
    return body;
  },
  "segmentql text": (r) => {
    const text = sqlText(r);
    try {
      parseSegmentQL(text);
    } catch (err) {
      if (!(err instanceof SegmentQLError)) throw err;
    }
    return text;
  },
  "segmentql ast": (r) => {
    const ast = randomAst(r, 1 + r.int(4));
    const json = r.chance(0.5) ? mutate(r, JSON.parse(JSON.stringify(ast))) : ast;
    try {
      const valid = validateAst(json);
      // A valid AST prints to text that parses back and prints the same.
      const text = printExpr(valid);
      const again = printExpr(parseSegmentQL(`FILTER ${text} FROM user`).ast);
      must(again === text, `print/parse round trip changed the AST: ${text} → ${again}`);
    } catch (err) {
      if (!(err instanceof SegmentQLError)) throw err;
    }
    return json;
  },
  "avro schema + values": (r) => {
    const schema = avroSchema(r);
    const parsed = parseSchema(r.chance(0.2) ? JSON.stringify(schema) : schema);
    if (parsed.ok)
      for (const field of parsed.schema.fields) {
        const checked = checkValue(field.type, r.chance(0.5) ? value(r) : mutate(r, value(r)));
        must(checked.ok || checked.errors.length > 0, "value refused without errors");
      }
    else must(parsed.errors.length > 0, "schema refused without errors");
    return schema;
  },
  csv: (r) => {
    const text = Array.from({ length: r.int(r.chance(0.02) ? 4000 : 60) }, () =>
      r.pick(["a", ",", '"', "\n", "\r\n", "\r", " ", "é", '""', "1", "\ufeff"]),
    ).join("");
    const { records, errors } = parseCsv(text);
    must(Array.isArray(records) && Array.isArray(errors), "no records/errors lists");
    return text;
  },
};

function runParsers(): void {
  const names = Object.keys(parsers);
  for (const [t, name] of names.entries()) {
    const first = BASE + t * 1_000_000;
    if (ONLY !== null && (ONLY < first || ONLY >= first + 1_000_000)) continue;
    const from = ONLY ?? first;
    const to = ONLY !== null ? ONLY + 1 : first + CASES;
    const start = performance.now();
    for (let seed = from; seed < to; seed++) {
      const r = new Rand(prng(seed));
      let input: unknown = "(not generated)";
      try {
        // The input is regenerated from the seed when a case fails (the target returns it).
        input = parsers[name]!(r);
        if (ONLY !== null) console.log(`input: ${excerpt(input)}`);
      } catch (err) {
        const again = new Rand(prng(seed));
        try {
          input = parsers[name]!(again);
        } catch {}
        failures.push({ target: name, seed, error: String(err), input: excerpt(input) });
      }
    }
    const ms = performance.now() - start;
    const n = to - from;
    console.log(
      `fuzz: ${name.padEnd(22)} ${String(n).padStart(7)} cases  ${((n / ms) * 1000).toFixed(0).padStart(8)} cases/s`,
    );
  }
}

// ---------------------------------------------------------------- endpoint targets

async function runEndpoints(): Promise<void> {
  const HTTP_TARGET = Object.keys(parsers).length;
  const first = BASE + HTTP_TARGET * 1_000_000;
  if (ONLY !== null && (ONLY < first || ONLY >= first + 1_000_000)) return;
  const server = await startServer();
  try {
    const { url } = server;
    const cid = "fuzz";
    await seedAccount(url, {
      cid,
      domains: ["localhost"],
      public_personalization: true,
      personalize_fields: ["email"],
      surfaced_fields: ["plan"],
      rate_limit_per_second: 100_000,
    });
    const origin = "http://localhost";
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(url + path, init);
      const text = await res.text();
      must(res.status < 500, `${res.status} ${text.slice(0, 200)}`);
      if (res.status >= 400) {
        const body = JSON.parse(text);
        must(
          body.status === res.status && typeof body.message === "string" && Array.isArray(body.errors),
          `4xx without {status, message, errors}: ${text.slice(0, 200)}`,
        );
      }
      return res.status;
    };
    const stored = async (uid: string) =>
      (
        await fetch(`${url}/api/entity/user/_uid/${encodeURIComponent(uid)}?cid=${cid}`, {
          headers: { authorization: ADMIN_TOKEN },
        })
      ).json() as Promise<{ status: number; data?: Record<string, unknown> }>;

    const cases = async (r: Rand, seed: number) => {
      const uid = `fz${seed}`;
      // Collect, JSON: accepted → readable as sent; refused → nothing stored.
      const events = Array.from({ length: 1 + r.int(3) }, () => {
        const e: Record<string, unknown> = { _uid: uid, mark: `m${seed}` };
        for (let k = r.int(4); k > 0; k--) e[r.pick(KEYS)] = value(r);
        return e;
      });
      const json = await call(`/c/${cid}`, {
        method: "POST",
        headers: { origin, "content-type": r.pick(["application/json", "text/plain"]) },
        body: JSON.stringify(r.chance(0.5) ? events : events[0]),
      });
      const profile = await stored(uid);
      if (json < 300) must(profile.data?.mark === `m${seed}`, "accepted JSON event not stored as sent");
      else must(profile.status === 404, `refused JSON (${json}) stored something`);
      // Collect, form and GET pixel.
      const formUid = `fzf${seed}`;
      const form = await call(`/c/${cid}`, {
        method: "POST",
        headers: { origin, "content-type": "application/x-www-form-urlencoded" },
        body: `_uid=${formUid}&${legacyText(r)}`,
      });
      if (form >= 400) must((await stored(formUid)).status === 404, `refused form (${form}) stored something`);
      await call(`/c/${cid}?_uid=fzg${seed}&${legacyText(r)}`, { headers: { origin } });
      // /personalize.
      const q = new URLSearchParams();
      q.set("cid", r.chance(0.9) ? cid : junk(r, 4));
      if (r.chance(0.6)) q.set("uid", r.chance(0.5) ? uid : junk(r, r.int(10)));
      if (r.chance(0.3)) q.set("field", r.pick(["email", "_uid", "secret", ""]));
      if (r.chance(0.3)) q.set("value", junk(r, 5));
      await call(`/personalize?${q}`, { headers: { origin } });
      // SegmentHub.
      await call(r.pick(["/visitors/query", "/visitors/attributes", "/profiles/query", "/profiles/segments"]), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(
          mutate(r, {
            account: r.chance(0.8) ? cid : junk(r, 3),
            token: ADMIN_TOKEN,
            visitorId: r.chance(0.5) ? uid : junk(r, 1 + r.int(5)),
            profileId: uid,
            attributes: value(r),
            assignees: [junk(r, 3)],
          }),
        ),
      });
      // SegmentQL through the API (text and AST).
      await call(`/api/segment?cid=${cid}`, {
        method: "POST",
        headers: { authorization: ADMIN_TOKEN, "content-type": "text/plain" },
        body: sqlText(r),
      });
      await call(`/v2/segment?cid=${cid}`, {
        method: "POST",
        headers: { authorization: ADMIN_TOKEN, "content-type": "application/json" },
        body: JSON.stringify({ slug_name: `fz_${seed}`, ast: mutate(r, randomAst(r, 2)) }),
      });
    };

    const from = ONLY ?? first;
    const to = ONLY !== null ? ONLY + 1 : first + HTTP_CASES;
    const start = performance.now();
    let requests = 0;
    const concurrency = ONLY !== null ? 1 : 8;
    let next = from;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < to) {
          const seed = next++;
          try {
            await cases(new Rand(prng(seed)), seed);
          } catch (err) {
            failures.push({ target: "endpoints", seed, error: String(err), input: "(see the case's requests)" });
          }
          requests += 9;
        }
      }),
    );
    const ms = performance.now() - start;
    console.log(
      `fuzz: ${"endpoints".padEnd(22)} ${String(to - from).padStart(7)} cases  ${(((to - from) / ms) * 1000).toFixed(0).padStart(8)} cases/s  (${requests} requests, ${((requests / ms) * 1000).toFixed(0)} req/s: collect JSON/form/GET, personalize, SegmentHub, SegmentQL text and AST)`,
    );
  } finally {
    await server.stop();
  }
}

runParsers();
await runEndpoints();
if (failures.length) {
  console.log(`\nfuzz: ${failures.length} failing cases (first 20):`);
  for (const f of failures.slice(0, 20))
    console.log(`- ${f.target}: ${f.error}\n  replay: FUZZ_SEED=${f.seed} npm run bench -- fuzz\n  input: ${f.input}`);
  process.exit(1);
}
console.log("fuzz: no failures");
