import { describe, expect, it } from "vitest";
import { type ImportJob, importStep, newImportJob } from "../../../../edge/content/import/import-job";

/** Runs an import to its end, `chunk` bytes per step, as the content object does; returns the job and the titles read. */
function run(csv: string, chunk: number): { job: ImportJob; titles: string[]; steps: number } {
  const bytes = new TextEncoder().encode(csv);
  let job = newImportJob("j", "k", bytes.length, 0);
  const titles: string[] = [];
  let steps = 0;
  for (;;) {
    const length = Math.min(chunk, job.size - job.offset);
    const step = importStep(job, bytes.slice(job.offset, job.offset + length), job.offset + length >= job.size, {}, 1);
    steps++;
    titles.push(...step.inputs.map((i) => i.title ?? ""));
    job = { ...step.job, rowsOk: step.job.rowsOk + step.inputs.length };
    if (step.done) return { job, titles, steps };
  }
}

describe("CSV import steps", () => {
  const csv = [
    "url,title,keywords",
    "https://ex.com/1,Café ☕ one,coffee",
    "mailto:x,Bad,",
    '"https://ex.com/2","Two, ☕☕ ""quoted""",coffee|tea',
    "https://ex.com/3,Three",
    "https://ex.com/4,Four ü,",
  ].join("\n");

  it("give the same rows and line-numbered errors whatever the chunk size (multi-byte characters split across chunks)", () => {
    const whole = run(csv, 1 << 20);
    expect(whole.steps).toBe(1);
    expect(whole.titles).toEqual(["Café ☕ one", 'Two, ☕☕ "quoted"', "Four ü"]);
    expect(whole.job).toMatchObject({ state: "done", rowsOk: 3, rowsFailed: 2, errorsTotal: 2 });
    expect(whole.job.errors.map((e) => e.line)).toEqual([3, 5]);
    for (let chunk = 64; chunk < 100; chunk++) {
      const r = run(csv, chunk);
      expect(r.steps).toBeGreaterThan(1);
      expect(r.titles).toEqual(whole.titles);
      expect(r.job.errors).toEqual(whole.job.errors);
      expect(r.job.offset).toBe(new TextEncoder().encode(csv).length);
    }
  });

  it("refuse a header without a URL column, and a record longer than a chunk", () => {
    const bad = run("title,author\nx,y\n", 1 << 20);
    expect(bad.job.state).toBe("failed");
    const step = importStep(newImportJob("j", "k", 10, 0), new TextEncoder().encode("title\nx\n"), true, {}, 1);
    expect(step.headerProblems?.length).toBeGreaterThan(0);
    const long = run(`url,title\nhttps://ex.com/1,${"x".repeat(200)}\n`, 64);
    expect(long.job).toMatchObject({ state: "failed", message: "line 2: a record is longer than 262144 bytes" });
  });
});
