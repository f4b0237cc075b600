import { describe, expect, it } from "vitest";
import { ApiError } from "../../../../edge/platform/http/errors";
import { takeToken } from "../../../../edge/platform/http/rate-limit";

describe("rate limit", () => {
  it("allows a burst of one second's worth, then 429 with Retry-After, then refills", () => {
    const t = 1_000_000;
    for (let i = 0; i < 5; i++) takeToken("k", 5, t);
    let err: unknown;
    try {
      takeToken("k", 5, t);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(429);
    expect((err as ApiError).headers["Retry-After"]).toBe("1");
    expect(() => takeToken("k", 5, t + 400)).not.toThrow();
  });
});
