import { describe, expect, it } from "vitest";
import { csvStep } from "../../../../edge/collections/ingest/csv-job";
import { targetOf } from "../../../../edge/collections/ingest/prepare";
import { people, job } from "../fixtures";

describe("CSV upload steps", () => {
  it("gives the same rows and errors whatever the byte ranges, across multi-byte characters", async () => {
    const target = targetOf(people, []);
    let csv = "id,vid,email,note,age\r\n";
    for (let i = 0; i < 60; i++)
      csv += i % 9 === 4 ? `${i},v,,"ünï ""ç"" 🙂\r\nx",old\r\n` : `${i},,,"naïve 🙂 ${i}",${i}\r\n`;
    const bytes = new TextEncoder().encode(csv);
    const run = async (sizes: () => number) => {
      let state = { ...job(), size: bytes.length };
      const keys: string[] = [];
      const notes: string[] = [];
      for (let guard = 0; guard < 1000; guard++) {
        const length = Math.min(sizes(), state.size - state.offset);
        const step = await csvStep(
          target,
          state,
          bytes.slice(state.offset, state.offset + length),
          state.offset + length >= state.size,
          async () => [],
        );
        keys.push(...step.rows.map((r) => r.key));
        notes.push(...step.rows.map((r) => String(r.data.note)));
        state = step.job;
        if (step.done) break;
      }
      return { state, keys, notes };
    };
    const whole = await run(() => bytes.length);
    expect(whole.state).toMatchObject({ state: "done", rowsOk: 53, rowsFailed: 7 });
    expect(whole.state.errors[0]).toEqual({ line: 6, path: "age", message: 'expected an integer (int), got "old"' });
    expect(whole.notes[1]).toBe("naïve 🙂 1");
    let seed = 3;
    for (let trial = 0; trial < 20; trial++) {
      const pieces = await run(() => 60 + ((seed = (seed * 48271) % 2147483647) % 90));
      expect(pieces.keys).toEqual(whole.keys);
      expect(pieces.notes).toEqual(whole.notes);
      expect(pieces.state.errors).toEqual(whole.state.errors);
      expect(pieces.state.rowsOk).toBe(53);
    }
  });

  it("fails an upload whose header lacks a required column or that is not UTF-8", async () => {
    const target = targetOf(people, []);
    const noKey = await csvStep(target, job(), new TextEncoder().encode("vid,email\nx,y\n"), true, async () => []);
    expect(noKey.job).toMatchObject({
      state: "failed",
      message: 'line 1: the header has no column "id" (the primary key)',
    });
    const latin1 = await csvStep(target, job(), new Uint8Array([0x69, 0x64, 0x0a, 0xe9, 0x0a]), true, async () => []);
    expect(latin1.job).toMatchObject({ state: "failed", message: "line 1: the file is not valid UTF-8" });
  });
});
