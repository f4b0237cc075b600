import { describe, expect, it } from "vitest";
import { prng, Rand } from "../unit/segmentql/gen";
import { ADMIN, admin, call, collect, newAccount, ORIGIN } from "./helpers";

/**
 * Bounded, seeded fuzzing of the public endpoints in workerd: every answer
 * is 2xx or a 4xx JSON error `{status, message, errors}`, never a 5xx; a
 * refused request stores nothing of itself; an accepted one is stored as sent.
 */
const SEED = 0xf022;
const CASES = 60;
const counts: Record<string, number> = {};

async function answer(name: string, res: Response): Promise<{ status: number; body: any }> {
  counts[name] = (counts[name] ?? 0) + 1;
  const text = await res.text();
  expect(res.status, `${name}: ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
  let body: any = null;
  if (res.status >= 400) {
    body = JSON.parse(text);
    expect(body).toMatchObject({ status: res.status, message: expect.any(String), errors: expect.any(Array) });
  } else if (text) body = JSON.parse(text);
  return { status: res.status, body };
}

const PIECES = [
  "a",
  "b",
  "_e",
  "=",
  "&",
  "%",
  "%FF",
  "%zz",
  "+",
  "__proto__",
  "toString",
  "_js",
  "k_json",
  "{",
  "[",
  '"',
  "1",
  "é",
  "9007199254740993",
];
const junk = (r: Rand, n: number) => Array.from({ length: n }, () => r.pick(PIECES)).join("");
const KEYS = ["plan", "n", "__proto__", "constructor", "toString", "x".repeat(129), "", "a.b", "_uido"];

function value(r: Rand, depth = 0): unknown {
  switch (r.int(depth > 4 ? 4 : 6)) {
    case 0:
      return r.pick([null, true, false]);
    case 1:
      return r.pick([0, -1, 2.5, 9007199254740991, 1e300]);
    case 2:
      return junk(r, r.int(6));
    case 3:
      return "y".repeat(r.pick([1, 16 * 1024 + 1]));
    case 4:
      return Array.from({ length: r.int(3) }, () => value(r, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: r.int(3) }, () => [r.pick(KEYS), value(r, depth + 1)]));
  }
}

describe("Trust fuzz: public endpoints (seeded, bounded)", () => {
  it("collect (JSON, form, GET): 2xx stored as sent, or 4xx JSON with nothing stored", {
    timeout: 60_000,
  }, async () => {
    const r = new Rand(prng(SEED));
    const cid = await newAccount();
    for (let i = 0; i < CASES; i++) {
      const uid = `fz${i}`;
      const events = Array.from({ length: 1 + r.int(3) }, () => {
        const e: Record<string, unknown> = { _uid: uid, seq: `s${i}` };
        for (let k = r.int(3); k > 0; k--) e[r.pick(KEYS)] = value(r);
        return e;
      });
      const json = await answer("collect json", await collect(cid, events));
      const stored = await admin(`/api/entity/user/_uid/${uid}?cid=${cid}`);
      if (json.status === 200) {
        const data = ((await stored.json()) as any).data;
        expect(data.seq).toBe(`s${i}`);
        const plans = events.map((e) => e.plan).filter((p) => p !== undefined && p !== null && p !== "");
        if (plans.length && typeof plans.at(-1) === "string") expect(data.plan).toEqual(plans.at(-1));
      } else expect(stored.status, `partial store after ${json.status}`).toBe(404);

      const text = `_uid=fzf${i}&${junk(r, r.int(30))}`;
      const form = await answer(
        "collect form",
        await call(`/c/${cid}`, {
          method: "POST",
          headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
          body: text,
        }),
      );
      if (form.status >= 400) expect((await admin(`/api/entity/user/_uid/fzf${i}?cid=${cid}`)).status).toBe(404);
      await answer("collect get", await call(`/c/${cid}?_uid=fzg${i}&${junk(r, r.int(30))}`));
    }
  });

  it("personalize, SegmentHub and SegmentQL bodies never answer 5xx", async () => {
    const r = new Rand(prng(SEED + 1));
    const cid = await newAccount({ public_personalization: true, personalize_fields: ["email"] });
    const words = [
      "FILTER",
      "AND",
      "OR",
      "NOT",
      "(",
      ")",
      "x",
      "=",
      '"a"',
      "1",
      "IN",
      "FROM",
      "user",
      "ALIAS",
      "s",
      ",",
      "EXISTS",
      "*",
    ];
    for (let i = 0; i < CASES; i++) {
      const q = new URLSearchParams();
      q.set("cid", r.chance(0.9) ? cid : junk(r, 4));
      if (r.chance(0.5)) q.set("uid", junk(r, r.int(10)));
      if (r.chance(0.3)) q.set("field", r.pick(["email", "_uid", "secret", ""]));
      if (r.chance(0.3)) q.set("value", junk(r, 5));
      await answer("personalize", await call(`/personalize?${q}`, { headers: { origin: ORIGIN } }));
      const hub = {
        account: r.chance(0.8) ? cid : junk(r, 3),
        token: ADMIN,
        visitorId: junk(r, 1 + r.int(5)),
        attributes: value(r),
      };
      await answer(
        "segmenthub",
        await call(r.pick(["/visitors/query", "/visitors/attributes", "/profiles/query", "/profiles/segments"]), {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(hub),
        }),
      );
      const ql = Array.from({ length: r.int(14) }, () => r.pick(words)).join(" ");
      await answer("segmentql", await admin(`/api/segment?cid=${cid}`, "POST", { segment_ql: ql }));
    }
    console.log(
      `trust fuzz (worker): ${Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")} cases`,
    );
  }, 60_000);
});
