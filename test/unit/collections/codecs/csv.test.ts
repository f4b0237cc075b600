import { describe, expect, it } from "vitest";
import { parseCsv, parseCsvChunk, type CsvRecord } from "../../../../edge/collections/codecs/csv";

const fields = (records: CsvRecord[]) => records.map((r) => r.fields);

describe("CSV parser", () => {
  it("reads plain records with LF, CRLF and CR line ends", () => {
    expect(fields(parseCsv("a,b\n1,2\n").records)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(fields(parseCsv("a,b\r\n1,2\r\n3,4").records)).toEqual([
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
    ]);
    expect(fields(parseCsv("a,b\r1,2\r").records)).toEqual([
      ["a", "b"],
      ["1", "2"],
    ]);
  });

  it("keeps empty fields, trailing separators and whitespace", () => {
    expect(fields(parseCsv("a,,c,\n, x ,\n").records)).toEqual([
      ["a", "", "c", ""],
      ["", " x ", ""],
    ]);
  });

  it("reads quoted fields with separators, escaped quotes and line breaks", () => {
    const { records, errors } = parseCsv(
      'id,note\r\n1,"a, b"\r\n2,"say ""hi"""\r\n3,"two\r\nlines\nand more"\r\n4,""\r\n',
    );
    expect(errors).toEqual([]);
    expect(fields(records)).toEqual([
      ["id", "note"],
      ["1", "a, b"],
      ["2", 'say "hi"'],
      ["3", "two\r\nlines\nand more"],
      ["4", ""],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 7]);
  });

  it("skips blank lines but counts them, and drops a byte-order mark", () => {
    const { records } = parseCsv("\uFEFFa\n\n\r\nb\n");
    expect(records).toEqual([
      { line: 1, fields: ["a"] },
      { line: 4, fields: ["b"] },
    ]);
  });

  it("keeps a quote inside an unquoted field", () => {
    expect(fields(parseCsv('5" screen,x\n').records)).toEqual([['5" screen', "x"]]);
  });

  it("reports malformed quoting on its line and goes on with the next", () => {
    const { records, errors } = parseCsv('a,b\n1,"x"y\n2,ok\n3,"never closed\n4,z\n');
    expect(fields(records)).toEqual([
      ["a", "b"],
      ["2", "ok"],
    ]);
    expect(errors).toEqual([
      { line: 2, message: expect.stringContaining("after a closing quote") },
      { line: 4, message: "line 4: a quoted field is never closed" },
    ]);
  });

  it("leaves an unfinished record for the next chunk", () => {
    const text = 'a,b\n1,"multi\nline';
    const first = parseCsvChunk(text, { final: false });
    expect(fields(first.records)).toEqual([["a", "b"]]);
    expect(first.consumed).toBe(4);
    expect(first.nextLine).toBe(2);
    const rest = parseCsvChunk(`${text.slice(first.consumed)}"\n`, { final: true, line: first.nextLine });
    expect(rest.records).toEqual([{ line: 2, fields: ["1", "multi\nline"] }]);
    // A record without a line end is complete only at the end of the input.
    expect(parseCsvChunk("x,y", { final: false }).records).toEqual([]);
    expect(parseCsvChunk("x,y", { final: true }).records).toEqual([{ line: 1, fields: ["x", "y"] }]);
    // A CR at the end of a chunk may be half of a CRLF.
    expect(parseCsvChunk("x\r", { final: false }).consumed).toBe(0);
  });

  it("gives the same records whatever the chunk boundaries", () => {
    let text = "id,note,n\r\n";
    for (let i = 0; i < 200; i++)
      text +=
        i % 7 === 0
          ? `${i},"q ""${i}"",\r\nx",${i}\r\n`
          : i % 11 === 0
            ? `${i},"bad"x,${i}\r\n`
            : `${i},plain ${i},${i}\n`;
    const whole = parseCsv(text);
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let trial = 0; trial < 50; trial++) {
      const records: CsvRecord[] = [];
      const errors: { line: number; message: string }[] = [];
      let offset = 0;
      let line = 1;
      let buffer = "";
      while (offset < text.length || buffer) {
        const take = 1 + Math.floor(random() * 40);
        buffer += text.slice(offset, offset + take);
        offset += take;
        const final = offset >= text.length;
        const chunk = parseCsvChunk(buffer, { final, line });
        records.push(...chunk.records);
        errors.push(...chunk.errors);
        buffer = buffer.slice(chunk.consumed);
        line = chunk.nextLine;
        if (final) break;
      }
      expect(records).toEqual(whole.records);
      expect(errors).toEqual(whole.errors);
    }
  });

  it("parses 10,000 records quickly", () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `${i},"name ${i}",${i * 1.5},true`).join("\r\n");
    const t = performance.now();
    expect(parseCsv(text).records).toHaveLength(10_000);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
