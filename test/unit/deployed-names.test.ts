import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("Durable Object classes keep their deployed names", () => {
  it("edge/index.ts exports every class wrangler.toml binds and declares, under that name", () => {
    const toml = readFileSync("wrangler.toml", "utf8");
    const bound = [...toml.matchAll(/class_name = "(\w+)"/g)].map((m) => m[1]);
    // Every migration's new classes (one [[migrations]] entry per release that adds any).
    const declared = [...toml.matchAll(/new_sqlite_classes = (\[[^\]]*\])/g)].flatMap(
      (m) => JSON.parse(m[1]!) as string[],
    );
    expect(toml).not.toMatch(/renamed_classes|deleted_classes/);
    expect(bound.sort()).toEqual([...declared].sort());
    const index = readFileSync("edge/index.ts", "utf8");
    const exported = [...index.matchAll(/export \{ (\w+)(?: as (\w+))? \} from "\.\/[\w/-]+-object"/g)].map(
      (m) => m[2] ?? m[1],
    );
    expect(exported.sort()).toEqual(bound.sort());
  });
});
