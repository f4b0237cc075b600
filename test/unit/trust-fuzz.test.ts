import { describe, expect, it } from "vitest";
import {
  fromJsonBody,
  fromLegacyFields,
  legacyParams,
  MAX_LEGACY_PAIRS,
  validateEvents,
} from "../../edge/collect/parse";
import { parseCsv } from "../../edge/collections/codecs/csv";
import { ApiError } from "../../edge/platform/http/errors";
import { parse as parseSegmentQL, SegmentQLError } from "../../edge/segmentql/index";
import { prng, Rand } from "./segmentql/gen";

/**
 * Bounded, seeded fuzzing of the public parsers (the longer run is in
 * `npm run bench`): every input either parses or is refused with the
 * parser's own error type; and parse time grows linearly with input size,
 * measured as a ratio between two sizes in this process, never a fixed time.
 */
const SEED = 0x7e57;
const CASES = Number(process.env.TRUST_FUZZ_CASES ?? 600);
const counts: Record<string, number> = {};
const count = (name: string) => (counts[name] = (counts[name] ?? 0) + 1);

const ALPHABET = [
  "a",
  "b",
  "_uid",
  "_js",
  "k_json",
  "k_len",
  "=",
  "&",
  "%",
  "%2",
  "%FF",
  "%zz",
  "+",
  ".",
  "__proto__",
  "toString",
  "é",
  "\u0000",
  "[",
  "{",
  '"',
  "1",
  "9007199254740993",
];
function junk(r: Rand, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += r.pick(ALPHABET);
  return s;
}

function randomValue(r: Rand, depth = 0): unknown {
  switch (r.int(depth > 3 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1.5, 2 ** 53 + 2, 1e308, -0]);
    case 3:
      return junk(r, r.int(8));
    case 4:
      return "x".repeat(r.pick([0, 1, 16 * 1024, 16 * 1024 + 1]));
    case 5:
      return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = r.int(4); i > 0; i--)
        o[r.pick(["a", "b", "__proto__", "constructor", "x".repeat(129), ""])] = randomValue(r, depth + 1);
      return o;
    }
  }
}

/** Runs `f`; anything thrown must be one of `allowed`. */
function only(allowed: (new (...a: never[]) => Error)[], f: () => unknown, input: unknown): void {
  try {
    f();
  } catch (err) {
    if (!allowed.some((t) => err instanceof t))
      throw new Error(`${String(err)} for ${JSON.stringify(input).slice(0, 300)}`);
  }
}

/** Fastest time (ms) of one call of `fn` over a few samples (the least disturbed by other load); each sample repeats it for at least 5 ms. */
function median(fn: () => void, runs = 7): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      fn();
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < 5);
    t.push(elapsed / calls);
  }
  return Math.min(...t);
}

/** time(16n) / time(n): about 16 when linear, 256 when quadratic. Both sizes are warmed up first. */
function growth(name: string, make: (n: number) => () => void, n: number): number {
  const small = make(n);
  const large = make(16 * n);
  median(small, 3);
  median(large, 3);
  const ratio = median(large) / median(small);
  console.log(`trust fuzz: ${name}: 16× input → ${ratio.toFixed(1)}× time`);
  return ratio;
}

describe("Trust fuzz: public parsers", () => {
  const r = new Rand(prng(SEED));

  it("legacy query strings and forms: parsed, or refused with a 4xx ApiError", () => {
    for (let i = 0; i < CASES; i++) {
      const text = junk(r, r.int(60));
      count("legacy");
      only(
        [ApiError],
        () => {
          const parsed = validateEvents(fromLegacyFields(legacyParams(text)));
          if (parsed.ok) for (const e of parsed.events) expect(Object.hasOwn(e, "__proto__")).toBe(false);
        },
        text,
      );
    }
  });

  it("JSON collect bodies: every event is valid and kept, or the whole body is refused", () => {
    for (let i = 0; i < CASES; i++) {
      const body = r.chance(0.3) ? Array.from({ length: r.int(4) }, () => randomValue(r)) : randomValue(r);
      count("json collect");
      const raw = fromJsonBody(JSON.parse(JSON.stringify(body ?? null)));
      const parsed = validateEvents(raw);
      if (parsed.ok) expect(parsed.events).toHaveLength(raw.length);
      else expect(parsed.errors.length).toBeGreaterThan(0);
    }
  });

  it("SegmentQL text: parsed, or a SegmentQLError", () => {
    const words = [
      "FILTER",
      "AND",
      "OR",
      "NOT",
      "(",
      ")",
      "x",
      "=",
      ">",
      '"a"',
      "1",
      "IN",
      "LIKE",
      "FROM",
      "user",
      "ALIAS",
      "s",
      ",",
      "INCLUDE",
      "EXISTS",
      "BETWEEN",
      '"now-1d"',
      "--",
      "\n",
      "*",
    ];
    for (let i = 0; i < CASES; i++) {
      const text = Array.from({ length: r.int(20) }, () => r.pick(words)).join(" ");
      count("segmentql");
      only([SegmentQLError], () => parseSegmentQL(text), text);
    }
  });

  it("CSV: records and row errors, never an exception", () => {
    for (let i = 0; i < CASES; i++) {
      const text = Array.from({ length: r.int(40) }, () => r.pick(["a", ",", '"', "\n", "\r\n", " ", "é", '""'])).join(
        "",
      );
      count("csv");
      const { records, errors } = parseCsv(text);
      expect(Array.isArray(records) && Array.isArray(errors)).toBe(true);
    }
  });

  it("parse time grows linearly (ratio between input sizes)", () => {
    const legacy = (n: number) => {
      const text = Array.from({ length: n }, (_, i) => `k${i % 50}=v${i}`).join("&");
      return () => void fromLegacyFields(legacyParams(text));
    };
    const json = (n: number) => {
      const events = Array.from({ length: n }, (_, i) => ({ _uid: `u${i}`, a: "x".repeat(100), b: [1, 2, { c: i }] }));
      return () => void validateEvents(events);
    };
    const segql = (n: number) => {
      const text = `FILTER AND (${Array.from({ length: n }, (_, i) => `f${i} = "v${i}"`).join(", ")}) FROM user ALIAS s`;
      return () => void parseSegmentQL(text);
    };
    const csv = (n: number) => {
      const text = `a,b,c\n${Array.from({ length: n }, (_, i) => `${i},"q""${i}",x`).join("\n")}`;
      return () => void parseCsv(text);
    };
    const ratios = [
      growth("legacy form", legacy, MAX_LEGACY_PAIRS / 16),
      growth("json events", json, 12),
      growth("segmentql", segql, 200),
      growth("csv", csv, 500),
    ];
    // Linear is about 16; quadratic about 256: the bound leaves room for a loaded machine.
    for (const ratio of ratios) expect(ratio).toBeLessThan(64);
    console.log(
      `trust fuzz (unit): ${Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")} cases`,
    );
  });
});
