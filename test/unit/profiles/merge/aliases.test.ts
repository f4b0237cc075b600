import { describe, expect, it } from "vitest";
import { followAliases, MAX_ALIAS_HOPS } from "../../../../edge/profiles/merge/aliases";

/** Profiles merged into one another: id → alias (absent: the survivor). */
const chain = (aliases: Record<string, string>) => {
  const calls: string[] = [];
  const info = async (id: string) => {
    calls.push(id);
    return { id, alias: aliases[id] ?? null };
  };
  return { calls, info };
};

describe("followAliases", () => {
  it("follows merged-away profiles to the survivor, asking each once", async () => {
    const { calls, info } = chain({ a: "b", b: "c" });
    const found = await followAliases("a", info, (x) => x.alias);
    expect(found).toEqual({ id: "c", answer: { id: "c", alias: null } });
    expect(calls).toEqual(["a", "b", "c"]);
  });

  it("answers at once for a profile that was not merged", async () => {
    const { calls, info } = chain({});
    expect((await followAliases("x", info, (x) => x.alias)).id).toBe("x");
    expect(calls).toEqual(["x"]);
  });

  it(`stops after ${MAX_ALIAS_HOPS} calls on a cycle, naming the next profile`, async () => {
    const { calls, info } = chain({ a: "b", b: "a" });
    const found = await followAliases("a", info, (x) => x.alias);
    expect(calls).toHaveLength(MAX_ALIAS_HOPS);
    expect(found.answer.alias).not.toBeNull();
    expect(found.id).toBe(found.answer.alias);
  });
});
