import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ACTIVITY_WINDOW_DAYS,
  MOMENTUM_RECENT_DAYS,
  RECENCY_HALF_LIFE_DAYS,
  SCORE_FIELDS,
  SESSION_TIMEOUT_MS,
} from "../../../../edge/profiles/scores/index";

describe("docs/scores.md", () => {
  const doc = readFileSync("docs/scores.md", "utf8");

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
