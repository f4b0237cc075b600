import { describe, expect, it } from "vitest";
import type { AudienceDefinitions } from "../../../../edge/accounts/records/audience-records";
import { affinityThresholdsUsed } from "../../../../edge/profiles/affinity/affinity-schedule";
import { scoreFieldsUsed } from "../../../../edge/profiles/fields/profile-activity";
import { audienceSet } from "../../../../edge/profiles/settle/audience-eval";
import { AudienceNeeds } from "../../../../edge/profiles/settle/audience-needs";
import { parse } from "../../../../edge/segmentql";
import { prng, Rand } from "../../segmentql/gen";

type Def = AudienceDefinitions["segments"][number];

const SCORES = ["score_frequency", "score_momentum", "score_recency", "score_quantity", "score_intensity"];
const TOPICS = ["hiking", "ski", "ai"];
const LEVELS = ["0.2", "0.5", "0.75", "1.5", "0"];

/** A random audience that reads some score fields, some topic affinities and plain fields. */
function randomDef(r: Rand, slug: string): Def {
  if (r.chance(0.1)) return { slug, kind: "manual", ast: null };
  const leaf = (): string => {
    switch (r.int(4)) {
      case 0:
        return `${r.pick(SCORES)} ${r.pick([">", ">=", "<", "="])} ${r.int(100)}`;
      case 1:
        return `topic_affinity.${r.pick(TOPICS)} ${r.pick([">", ">=", "<", "<=", "=", "!="])} ${r.pick(LEVELS)}`;
      case 2:
        return `topic_affinity.${r.pick(TOPICS)} BETWEEN ${r.pick(LEVELS)} AND ${r.pick(LEVELS)}`;
      default:
        return `visitct > ${r.int(10)}`;
    }
  };
  const leaves = Array.from({ length: 1 + r.int(3) }, leaf);
  const body = leaves.length === 1 ? (leaves[0] as string) : `${r.pick(["AND", "OR"])} ( ${leaves.join(", ")} )`;
  return { slug, kind: "rule", ast: parse(`FILTER ${r.chance(0.2) ? `NOT ${body}` : body} ALIAS ${slug}`).ast };
}

const fresh = (defs: Map<string, Def>) => {
  const all = { version: 0, segments: [...defs.values()] };
  return { scoreFields: scoreFieldsUsed(all), affinityThresholds: affinityThresholdsUsed(all) };
};

describe("audience needs (score fields and affinity levels) kept per changed audience", () => {
  it("equal a fresh computation over every audience after random adds, replacements and removals", async () => {
    for (let seed = 1; seed <= 12; seed++) {
      const r = new Rand(prng(seed));
      const cid = `needs-${seed}`;
      const defs = new Map<string, Def>();
      for (let k = 0; k < 20; k++) defs.set(`a${k}`, randomDef(r, `a${k}`));
      let version = 1;
      const full = async () => ({ version, segments: [...defs.values()] });
      let compiled = await audienceSet(cid, version, full);
      expect({ scoreFields: compiled.scoreFields, affinityThresholds: compiled.affinityThresholds }).toEqual(
        fresh(defs),
      );
      let next = 20;
      for (let step = 0; step < 40; step++) {
        // One change-log delta: the final definition of each slug put, and the slugs gone.
        const put = new Map<string, Def>();
        const remove = new Set<string>();
        for (let c = 1 + r.int(3); c > 0; c--) {
          const slugs = [...defs.keys()];
          const what = slugs.length === 0 ? 0 : r.int(3);
          if (what === 2) {
            const slug = r.pick(slugs);
            defs.delete(slug);
            put.delete(slug);
            remove.add(slug);
          } else {
            const d = randomDef(r, what === 0 ? `a${next++}` : r.pick(slugs));
            defs.set(d.slug, d);
            remove.delete(d.slug);
            put.set(d.slug, d);
          }
        }
        version++;
        const v = version;
        let reloaded = false;
        compiled = await audienceSet(
          cid,
          v,
          async () => {
            reloaded = true;
            return full();
          },
          async () => ({ version: v, put: [...put.values()], remove: [...remove] }),
        );
        expect(reloaded).toBe(false);
        expect(compiled.version).toBe(v);
        expect({ scoreFields: compiled.scoreFields, affinityThresholds: compiled.affinityThresholds }).toEqual(
          fresh(defs),
        );
      }
    }
  });

  it("counts an audience once however many of its tests need the same thing, and forgets it when it goes", () => {
    const ast = (text: string) => parse(text).ast;
    const a = ast("FILTER AND ( score_momentum > 1, score_momentum < 9, topic_affinity.ski > 0.5 )");
    const b = ast("FILTER OR ( score_momentum > 3, topic_affinity.ski >= 0.5 )");
    const both = AudienceNeeds.of([a, b]);
    expect(both.scoreFields).toEqual(["score_momentum"]);
    expect(both.affinityThresholds).toEqual({ ski: [0.4999, 0.5] });
    const onlyB = both.update([a], []);
    expect(onlyB.scoreFields).toEqual(["score_momentum"]);
    expect(onlyB.affinityThresholds).toEqual({ ski: [0.4999] });
    const none = onlyB.update([b], []);
    expect(none.scoreFields).toEqual([]);
    expect(none.affinityThresholds).toEqual({});
    // Immutable: the earlier values are unchanged.
    expect(both.affinityThresholds).toEqual({ ski: [0.4999, 0.5] });
  });
});
