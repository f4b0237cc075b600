import { existsSync } from "node:fs";
import type { SerializedError } from "vitest";
import type { Reporter, TestModule } from "vitest/node";
import { summarize } from "./summary";

/**
 * Prints one closing line, `tests: N passed, N failed[, N skipped]`, after
 * vitest's own summary so CI can read the totals of every project at once.
 * Files that could not run count as failures (see summary.ts).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError> = []): void {
    const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
    const summary = summarize(
      testModules.map((mod) => {
        const suiteErrors = [...mod.children.allSuites()].flatMap((s) => s.errors());
        const errors = [...mod.errors(), ...suiteErrors];
        return {
          file: mod.relativeModuleId,
          project: mod.project.name,
          failed: mod.state() === "failed",
          error: errors[0]?.message?.split("\n")[0],
          tests: [...mod.children.allTests()].map((t) => t.result().state),
        };
      }),
      unhandledErrors.length,
      { path: chromiumPath, present: existsSync(chromiumPath) },
    );
    for (const note of summary.notes) process.stdout.write(`\n${note}`);
    process.stdout.write(`\n${summary.line}\n`);
  }
}
