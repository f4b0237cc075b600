/** What the summary needs to know of one test file. */
export interface FileOutcome {
  /** Path of the test file, relative to the repository. */
  file: string;
  /** Vitest project (unit, worker, browser). */
  project: string;
  /** The file as a whole failed (it did not load, or a hook failed). */
  failed: boolean;
  /** The first error of the file itself, if any. */
  error?: string;
  /** States of its tests. */
  tests: ("passed" | "failed" | "skipped" | "pending")[];
}

/** The closing lines of a run. */
export interface Summary {
  passed: number;
  failed: number;
  skipped: number;
  /** Notes printed before the totals (files that could not run, a missing browser). */
  notes: string[];
  /** The last line: `tests: N passed, N failed[, N skipped]`. */
  line: string;
}

/**
 * Totals of a run. A file that failed as a whole without any of its tests
 * failing (it did not load, or a `beforeAll` such as launching the browser
 * threw) counts as one failure, so a suite that could not run never reads
 * as "0 failed"; so does each unhandled error. When browser files could not
 * run and the browser is missing, one note says how to install it.
 */
export function summarize(
  files: FileOutcome[],
  unhandledErrors: number,
  chromium: { path: string; present: boolean },
): Summary {
  let passed = 0;
  let failed = unhandledErrors;
  let skipped = 0;
  const notes: string[] = [];
  const notRun: FileOutcome[] = [];
  for (const f of files) {
    for (const state of f.tests) {
      if (state === "passed") passed++;
      else if (state === "failed") failed++;
      else skipped++;
    }
    if (f.failed && !f.tests.includes("failed")) {
      failed++;
      notRun.push(f);
    }
  }
  const browserNotRun = notRun.filter((f) => f.project === "browser");
  if (browserNotRun.length && !chromium.present) {
    notes.push(
      `${browserNotRun.length} browser test file(s) could not run: no Chromium at ${chromium.path}. ` +
        "Install it with `apt-get install chromium` (or set CHROMIUM_PATH).",
    );
  }
  for (const f of notRun) {
    if (f.project === "browser" && !chromium.present) continue;
    notes.push(`could not run ${f.file}${f.error ? `: ${f.error}` : ""}`);
  }
  if (unhandledErrors) notes.push(`${unhandledErrors} unhandled error(s) outside tests`);
  const tail = skipped ? `, ${skipped} skipped` : "";
  return { passed, failed, skipped, notes, line: `tests: ${passed} passed, ${failed} failed${tail}` };
}
