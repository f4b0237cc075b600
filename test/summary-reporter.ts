import type { Reporter, TestModule } from "vitest/node";

/**
 * Prints one closing line, `tests: N passed, N failed[, N skipped]`, after
 * vitest's own summary so CI can read the totals of every project at once.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const mod of testModules) {
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
      }
      if (mod.state() === "failed" && ![...mod.children.allTests()].length) failed++;
    }
    const tail = skipped ? `, ${skipped} skipped` : "";
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${tail}\n`);
  }
}
