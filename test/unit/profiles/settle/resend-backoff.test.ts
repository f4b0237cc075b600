import { describe, expect, it } from "vitest";
import { RESEND_CAP_FACTOR, resendWait } from "../../../../edge/profiles/settle/resend-backoff";

describe("resending unconfirmed audience changes backs off", () => {
  it("waits the first wait, then twice as long after each resend, up to the cap", () => {
    const waits = Array.from({ length: 8 }, (_, n) => resendWait(120_000, n));
    expect(waits).toEqual([120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000]);
    expect(RESEND_CAP_FACTOR * 120_000).toBe(3_600_000);
  });

  it("never overflows or goes below the first wait", () => {
    expect(resendWait(3_000, 10_000)).toBe(3_000 * RESEND_CAP_FACTOR);
    expect(resendWait(3_000, -1)).toBe(3_000);
  });
});
