import { describe, expect, it } from "vitest";
import { ApiError } from "../../../edge/platform/http/errors";
import { fromLegacyFields, MAX_LEGACY_PAIRS, MAX_LEGACY_REPEATS } from "../../../edge/collect/parse";

/** Legacy pairs with one key repeated `n` times (the 87,000-repeat attack, scaled). */
const repeated = (n: number): [string, string][] => [
  ["_uid", "r"],
  ...Array.from({ length: n }, () => ["k", ""] as [string, string]),
];

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("Trust #1: the legacy wire format parses in linear time within documented limits", () => {
  it("keeps repeated keys as an array, up to the documented repeat limit", () => {
    const [event] = fromLegacyFields(repeated(MAX_LEGACY_REPEATS));
    expect((event!.k as string[]).length).toBe(MAX_LEGACY_REPEATS);
  });

  it("refuses one repeat past the limit with 422 naming the key and the limit", () => {
    const err = refusal(() => fromLegacyFields(repeated(MAX_LEGACY_REPEATS + 1)));
    expect(err.status).toBe(422);
    expect(err.message).toContain(String(MAX_LEGACY_REPEATS));
    expect(err.errors).toEqual([expect.objectContaining({ path: "k" })]);
  });

  it("refuses more pairs than the documented limit with 422", () => {
    const pairs = Array.from({ length: MAX_LEGACY_PAIRS + 1 }, (_, i) => [`f${i}`, "v"] as [string, string]);
    const err = refusal(() => fromLegacyFields(pairs));
    expect(err.status).toBe(422);
    expect(err.message).toContain(String(MAX_LEGACY_PAIRS));
  });

  it("stops reading at the pair limit: a million pairs are not walked", () => {
    let read = 0;
    function* endless(): Generator<[string, string]> {
      while (read < 1_000_000) {
        read++;
        yield [`k${read}`, "v"];
      }
    }
    refusal(() => fromLegacyFields(endless()));
    expect(read).toBeLessThanOrEqual(MAX_LEGACY_PAIRS + 1);
  });
});
