import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ACTIVITY_WINDOW_DAYS,
  MOMENTUM_RECENT_DAYS,
  RECENCY_HALF_LIFE_DAYS,
  SCORE_FIELDS,
  SESSION_TIMEOUT_MS,
} from "../../../../edge/profiles/scores/index";

describe("the README's Behavioral scores section", () => {
  const readme = readFileSync("README.md", "utf8");
  const start = readme.indexOf("### Behavioral scores");
  const doc = readme.slice(start, readme.indexOf("\n## ", start + 1) >>> 0);

  it("exists", () => {
    expect(start).toBeGreaterThan(0);
  });

  it("documents every score field with a formula row", () => {
    for (const field of SCORE_FIELDS) expect(doc).toMatch(new RegExp("^\\| `" + field + "` \\|", "m"));
  });

  it("states the window, session timeout, recency half-life and momentum period the code uses", () => {
    expect(doc).toContain(`last **${ACTIVITY_WINDOW_DAYS} days**`);
    expect(doc).toContain(`after **${SESSION_TIMEOUT_MS / 60_000} minutes**`);
    expect(doc).toContain(`100 · 2^(−d/${RECENCY_HALF_LIFE_DAYS})`);
    expect(doc).toContain(`events in last ${MOMENTUM_RECENT_DAYS} days / ${MOMENTUM_RECENT_DAYS}`);
  });
});
