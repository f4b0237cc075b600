import { describe, expect, it } from "vitest";
import { csvChunk, type RangeReader, readStagedChunk, takeHeader } from "../../../edge/platform/csv-chunks";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("the CSV chunk loop shared by content imports and collection uploads", () => {
  it("reads a file chunk by chunk: a character split between chunks and a record cut by a chunk are read whole", () => {
    const file = bytes('url,title\nhttps://ex.com/a,"Café ☕"\nhttps://ex.com/b,Boots\n');
    const CHUNK = 32; // cuts "é" in two
    let offset = 0;
    let line = 1;
    const rows: string[][] = [];
    while (offset < file.length) {
      const slice = file.subarray(offset, offset + CHUNK);
      const r = csvChunk(slice, offset + CHUNK >= file.length, line, CHUNK);
      if (!r.ok) throw new Error(r.message);
      rows.push(...r.records.map((x) => x.fields));
      offset += r.consumedBytes;
      line = r.nextLine;
    }
    expect(rows).toEqual([
      ["url", "title"],
      ["https://ex.com/a", "Café ☕"],
      ["https://ex.com/b", "Boots"],
    ]);
  });

  it("refuses a record longer than a chunk and a file that is not UTF-8, naming the line", () => {
    expect(csvChunk(bytes("a,b,c,d,e,f"), false, 7, 4)).toEqual({
      ok: false,
      message: "line 7: a record is longer than 4 bytes",
    });
    expect(csvChunk(new Uint8Array([0x61, 0xff, 0x0a]), true, 3, 64)).toEqual({
      ok: false,
      message: "line 3: the file is not valid UTF-8",
    });
  });

  it("takes the header off the first records, waits for it, or refuses a broken or missing one", () => {
    const r = csvChunk(bytes('url,title\nx,"y\n'), true, 1, 64);
    if (!r.ok) throw new Error(r.message);
    expect(r.problems).toEqual([{ line: 2, message: "a quoted field is never closed" }]);
    expect(takeHeader(r.records, r.problems, true)).toMatchObject({ state: "header", fields: ["url", "title"] });
    expect(takeHeader([], [], false)).toEqual({ state: "pending" });
    expect(takeHeader([], [], true)).toEqual({ state: "refused", message: "the file has no header line" });
    const broken = csvChunk(bytes('"url,title\n'), true, 1, 64);
    if (!broken.ok) throw new Error(broken.message);
    expect(takeHeader(broken.records, broken.problems, true)).toEqual({
      state: "refused",
      message: "the header line is not valid CSV: line 1: a quoted field is never closed",
    });
  });

  it("reads the staged file's byte ranges from the bucket, and says when the file is gone", async () => {
    const file = bytes("0123456789");
    const bucket = {
      async get(key: string, options: { range: { offset: number; length: number } }) {
        if (key !== "f.csv") return null;
        const { offset, length } = options.range;
        return { arrayBuffer: async () => file.slice(offset, offset + length).buffer };
      },
    } satisfies RangeReader;
    const first = await readStagedChunk(bucket, "f.csv", 0, 10, 4);
    expect(first.ok && new TextDecoder().decode(first.bytes)).toBe("0123");
    expect(first.ok && first.final).toBe(false);
    const last = await readStagedChunk(bucket, "f.csv", 8, 10, 4);
    expect(last.ok && [new TextDecoder().decode(last.bytes), last.final]).toEqual(["89", true]);
    expect(await readStagedChunk(bucket, "f.csv", 10, 10, 4)).toEqual({
      ok: true,
      bytes: new Uint8Array(0),
      final: true,
    });
    expect(await readStagedChunk(bucket, "gone.csv", 0, 10, 4)).toEqual({ ok: false, missing: true });
  });
});
