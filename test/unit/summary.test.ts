import { describe, expect, it } from "vitest";
import { summarize, type FileOutcome } from "../summary";

const file = (over: Partial<FileOutcome>): FileOutcome => ({
  file: "test/unit/x.test.ts",
  project: "unit",
  failed: false,
  tests: ["passed"],
  ...over,
});
const noChromium = { path: "/usr/bin/chromium", present: false };
const chromium = { path: "/usr/bin/chromium", present: true };

describe("npm test's closing summary", () => {
  it("adds up every project's tests", () => {
    const s = summarize(
      [file({ tests: ["passed", "passed", "skipped"] }), file({ project: "worker", tests: ["failed", "passed"] })],
      0,
      chromium,
    );
    expect(s.line).toBe("tests: 3 passed, 1 failed, 1 skipped");
    expect(s.notes).toEqual([]);
  });

  it("never says 0 failed when browser files could not start without Chromium, and says how to install it once", () => {
    const browserFiles = Array.from({ length: 11 }, (_, i) =>
      file({
        file: `test/browser/f${i}.test.ts`,
        project: "browser",
        failed: true,
        error: "browserType.launch: Failed to launch chromium",
        tests: ["skipped", "skipped"],
      }),
    );
    const s = summarize([file({ tests: Array(280).fill("passed") }), ...browserFiles], 0, noChromium);
    expect(s.line).toBe("tests: 280 passed, 11 failed, 22 skipped");
    expect(s.notes).toEqual([
      "11 browser test file(s) could not run: no Chromium at /usr/bin/chromium. Install it with `apt-get install chromium` (or set CHROMIUM_PATH).",
    ]);
  });

  it("counts a test file that fails to load as a failure and names it", () => {
    const s = summarize(
      [file({ file: "test/unit/broken.test.ts", failed: true, error: "Cannot find module './gone'", tests: [] })],
      0,
      chromium,
    );
    expect(s.failed).toBe(1);
    expect(s.line).toBe("tests: 0 passed, 1 failed");
    expect(s.notes).toEqual(["could not run test/unit/broken.test.ts: Cannot find module './gone'"]);
  });

  it("does not count a file twice when its own tests failed", () => {
    const s = summarize([file({ failed: true, tests: ["failed", "passed"] })], 0, chromium);
    expect(s.line).toBe("tests: 1 passed, 1 failed");
  });

  it("counts unhandled errors", () => {
    const s = summarize([file({})], 2, chromium);
    expect(s.line).toBe("tests: 1 passed, 2 failed");
  });
});
