import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { claimLinks, lookupLinks, lookupOrClaimLinks } from "../../../edge/identity/directory";
import type { Env } from "../../../edge/platform/env";

const e = env as unknown as Env;
const uid = (value: string) => ({ field: "_uid", value });

describe("identity directory: lookupOrClaimLinks (many people, one call per shard)", () => {
  it("links keys nobody holds to their candidates and leaves held keys where they point", async () => {
    const cid = `dir${Date.now().toString(36)}`;
    await claimLinks(e, cid, [uid("held")], "profile-held", true);
    await claimLinks(e, cid, [uid("typed")], "profile-typed", false);
    const people = Array.from({ length: 40 }, (_, i) => ({ key: uid(`new-${i}`), candidate: `cand-${i}` }));
    const out = await lookupOrClaimLinks(e, cid, [
      { key: uid("held"), candidate: "cand-held" },
      ...people,
      { key: uid("typed"), candidate: "cand-typed" },
    ]);
    expect(out[0]).toEqual({ link: { profile: "profile-held", verified: true }, claimed: false });
    expect(out[41]).toEqual({ link: { profile: "profile-typed", verified: false }, claimed: false });
    people.forEach((_, i) =>
      expect(out[i + 1]).toEqual({ link: { profile: `cand-${i}`, verified: true }, claimed: true }),
    );
    // The new links are real: a later lookup (from any isolate) finds them.
    expect(await lookupLinks(e, cid, [uid("new-7"), uid("typed")])).toEqual([
      { profile: "cand-7", verified: true },
      { profile: "profile-typed", verified: false },
    ]);
    // Asked again, nothing changes.
    const again = await lookupOrClaimLinks(e, cid, [{ key: uid("new-7"), candidate: "other" }]);
    expect(again).toEqual([{ link: { profile: "cand-7", verified: true }, claimed: false }]);
  }, 30_000);
});
