import { describe, expect, it } from "vitest";
import { sizeSeries } from "../../../edge/audiences/size-history";

const now = Date.parse("2026-11-29T15:00:00Z");

describe("audience size over time", () => {
  it("sums each shard's last count on or before each day, carrying counts over days without change", () => {
    const series = sizeSeries(
      [
        [
          { day: "2026-11-20", n: 4 },
          { day: "2026-11-27", n: 6 },
        ],
        [{ day: "2026-11-28", n: 1 }],
        [],
      ],
      4,
      now,
    );
    expect(series).toEqual([
      { day: "2026-11-26", size: 4 },
      { day: "2026-11-27", size: 6 },
      { day: "2026-11-28", size: 7 },
      { day: "2026-11-29", size: 7 },
    ]);
  });

  it("days before anything was recorded are null, not zero; a shard that emptied counts zero", () => {
    const series = sizeSeries(
      [
        [
          { day: "2026-11-28", n: 2 },
          { day: "2026-11-29", n: 0 },
        ],
      ],
      3,
      now,
    );
    expect(series.map((p) => p.size)).toEqual([null, 2, 0]);
  });
});
