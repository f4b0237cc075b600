import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("README", () => {
  it("shows the install snippet exactly as built", () => {
    const built = readFileSync("dist/tag/snippet.min.js", "utf8");
    expect(readFileSync("README.md", "utf8")).toContain(built);
  });
});
