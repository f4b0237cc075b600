import { describe, expect, it } from "vitest";
import {
  checkRecord,
  checkValue,
  fromCsvCell,
  parseDate,
  parseSchema,
  parseTimestamp,
  type AvroRecord,
  type AvroType,
} from "../../../../edge/collections/codecs/avro";

function schema(fields: unknown[], extra: Record<string, unknown> = {}): AvroRecord {
  const parsed = parseSchema({ type: "record", name: "t", fields, ...extra });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.schema;
}
const typeOf = (t: unknown): AvroType => schema([{ name: "f", type: t }]).fields[0]!.type;
const errorsOf = (input: unknown) => {
  const parsed = parseSchema(input);
  return parsed.ok ? [] : parsed.errors;
};

describe("Avro schemas", () => {
  it("parses records with every supported type", () => {
    const s = schema([
      { name: "b", type: "boolean" },
      { name: "i", type: "int" },
      { name: "l", type: "long" },
      { name: "f", type: "float" },
      { name: "d", type: "double" },
      { name: "by", type: "bytes" },
      { name: "s", type: "string" },
      { name: "e", type: { type: "enum", name: "color", symbols: ["red", "green"] } },
      { name: "fx", type: { type: "fixed", name: "two", size: 2 } },
      { name: "a", type: { type: "array", items: "color" } },
      { name: "m", type: { type: "map", values: ["null", "long"] } },
      { name: "r", type: { type: "record", name: "inner", fields: [{ name: "x", type: "int" }] } },
      { name: "ts", type: { type: "long", logicalType: "timestamp-millis" } },
      { name: "day", type: { type: "int", logicalType: "date" } },
      { name: "u", type: ["null", "string", "inner"], default: null },
    ]);
    expect(s.fields.map((f) => f.name)).toHaveLength(15);
    expect(s.fields[9]!.type).toMatchObject({ kind: "array", items: { kind: "enum", name: "color" } });
    expect(s.fields[12]!.type).toEqual({ kind: "primitive", type: "long", logical: "timestamp-millis" });
  });

  it("supports namespaces and recursive records", () => {
    const s = schema(
      [
        { name: "next", type: ["null", "ns.node"], default: null },
        { name: "v", type: "int" },
      ],
      { name: "node", namespace: "ns" },
    );
    expect(checkRecord(s, { v: 1, next: { v: 2, next: { v: 3 } } })).toEqual({
      ok: true,
      value: { v: 1, next: { v: 2, next: { v: 3, next: null } } },
    });
  });

  it("ignores logical types on the wrong base type (Avro spec)", () => {
    expect(typeOf({ type: "string", logicalType: "timestamp-millis" })).toEqual({ kind: "primitive", type: "string" });
  });

  it("names what is wrong", () => {
    expect(errorsOf({ type: "record", name: "t" })).toEqual([
      { path: "schema.fields", message: "a record needs a fields array" },
    ]);
    expect(errorsOf({ type: "record", name: "1t", fields: [{ name: "a", type: "int" }] })[0]!.path).toBe("schema.name");
    expect(errorsOf({ type: "record", name: "t", fields: [{ name: "a-b", type: "int" }] })[0]!.path).toBe(
      "schema.fields[0].name",
    );
    expect(errorsOf({ type: "record", name: "t", fields: [{ name: "a" }] })[0]).toEqual({
      path: "schema.fields[0].type",
      message: 'the field "a" needs a type',
    });
    expect(errorsOf({ type: "record", name: "t", fields: [{ name: "a", type: ["int", "int"] }] })[0]).toMatchObject({
      path: "schema.fields[0].type[1]",
      message: expect.stringContaining("two branches"),
    });
    expect(
      errorsOf({ type: "record", name: "t", fields: [{ name: "a", type: ["null", ["int"]] }] })[0]!.message,
    ).toContain("may not directly contain another union");
    expect(errorsOf({ type: "record", name: "t", fields: [{ name: "a", type: { type: "array" } }] })[0]!.path).toBe(
      "schema.fields[0].type.items",
    );
    expect(
      errorsOf({ type: "record", name: "t", fields: [{ name: "a", type: { type: "fixed", name: "f" } }] })[0]!.path,
    ).toBe("schema.fields[0].type.size");
    expect(
      errorsOf({ type: "record", name: "t", fields: [{ name: "a", type: ["null", "int"], default: 3 }] })[0]!.message,
    ).toContain("invalid default");
    expect(errorsOf({ type: "record", name: "t", fields: [{ name: "__proto__", type: "int" }] })[0]!.path).toBe(
      "schema.fields[0].name",
    );
    expect(errorsOf({ type: "record", name: "t", fields: [] })[0]!.message).toContain("at least one field");
    expect(
      errorsOf({
        type: "record",
        name: "t",
        fields: Array.from({ length: 201 }, (_, i) => ({ name: `f${i}`, type: "int" })),
      })[0]!.message,
    ).toContain("at most 200");
    expect(errorsOf('{"type": "record"')[0]!.message).toContain("not valid JSON");
  });
});

describe("Avro values", () => {
  it("checks primitives strictly", () => {
    expect(checkValue(typeOf("int"), 2 ** 31)).toEqual({
      ok: false,
      errors: [{ path: "", message: "2147483648 is out of range for int (32 bits)" }],
    });
    expect(checkValue(typeOf("int"), 1.5).ok).toBe(false);
    expect(checkValue(typeOf("long"), 2 ** 53).ok).toBe(false);
    expect(checkValue(typeOf("long"), 2 ** 53 - 1).ok).toBe(true);
    expect(checkValue(typeOf("double"), Number.NaN).ok).toBe(false);
    expect(checkValue(typeOf("boolean"), "true").ok).toBe(false);
    expect(checkValue(typeOf("string"), 5)).toEqual({
      ok: false,
      errors: [{ path: "", message: "expected string, got number 5" }],
    });
    expect(checkValue(typeOf("bytes"), "\u00ff\u0000").ok).toBe(true);
    expect(checkValue(typeOf("bytes"), "\u0100").ok).toBe(false);
    expect(checkValue(typeOf({ type: "fixed", name: "f2", size: 2 }), "abc").ok).toBe(false);
  });

  it("fills defaults and nulls, ignores unknown fields, and names missing ones", () => {
    const s = schema([
      { name: "id", type: "long" },
      { name: "n", type: ["null", "string"] },
      { name: "tags", type: { type: "array", items: "string" }, default: ["x"] },
    ]);
    expect(checkRecord(s, { id: 1, other: true })).toEqual({ ok: true, value: { id: 1, n: null, tags: ["x"] } });
    expect(checkRecord(s, { n: "a" })).toEqual({
      ok: false,
      errors: [{ path: "id", message: 'required field "id" (long) is missing' }],
    });
    expect(checkRecord(s, [1])).toEqual({
      ok: false,
      errors: [{ path: "$", message: "expected a record t (JSON object), got array" }],
    });
  });

  it("reads unions bare (first branch that fits) or wrapped", () => {
    const u = typeOf(["null", "long", "double", "string"]);
    expect(checkValue(u, 3)).toEqual({ ok: true, value: 3 });
    expect(checkValue(u, 3.5)).toEqual({ ok: true, value: 3.5 });
    expect(checkValue(u, { double: 3 })).toEqual({ ok: true, value: 3 });
    expect(checkValue(u, { string: "x" })).toEqual({ ok: true, value: "x" });
    expect(checkValue(u, null)).toEqual({ ok: true, value: null });
    expect(checkValue(u, true).ok).toBe(false);
    expect(checkValue(u, { long: "x" })).toEqual({
      ok: false,
      errors: [{ path: "", message: 'expected long, got string "x"' }],
    });
    expect(checkValue(typeOf(["null", "long"]), "7")).toEqual({
      ok: false,
      errors: [{ path: "", message: 'expected long, got string "7"' }],
    });
    expect(checkValue(typeOf(["long", "string"]), null).ok).toBe(false);
  });

  it("gives nested paths", () => {
    const s = schema([
      {
        name: "items",
        type: {
          type: "array",
          items: {
            type: "record",
            name: "item",
            fields: [
              { name: "sku", type: "string" },
              { name: "qty", type: "int" },
            ],
          },
        },
      },
      { name: "attrs", type: { type: "map", values: "int" } },
    ]);
    const r = checkRecord(
      s,
      {
        items: [
          { sku: "a", qty: 1 },
          { sku: 2, qty: "x" },
        ],
        attrs: { a: 1, b: "2" },
      },
      "[4]",
    );
    expect(r).toEqual({
      ok: false,
      errors: [
        { path: "[4].items[1].sku", message: "expected string, got number 2" },
        { path: "[4].items[1].qty", message: 'expected int, got string "x"' },
        { path: "[4].attrs.b", message: 'expected int, got string "2"' },
      ],
    });
  });

  it("accepts ISO timestamps and dates for the logical types", () => {
    expect(checkValue(typeOf({ type: "long", logicalType: "timestamp-millis" }), "2024-02-03T04:05:06.789Z")).toEqual({
      ok: true,
      value: Date.UTC(2024, 1, 3, 4, 5, 6, 789),
    });
    expect(checkValue(typeOf({ type: "int", logicalType: "date" }), "1970-01-11")).toEqual({ ok: true, value: 10 });
    expect(checkValue(typeOf({ type: "int", logicalType: "date" }), "2024-02-30").ok).toBe(false);
    expect(parseTimestamp("2024-02-03 04:05:06+02:00")).toBe(Date.UTC(2024, 1, 3, 2, 5, 6));
    expect(parseTimestamp("2024-02-03")).toBe(Date.UTC(2024, 1, 3));
    expect(parseTimestamp("yesterday")).toBeNull();
    expect(parseDate("2024-13-01")).toBeNull();
  });
});

describe("CSV cells to Avro values", () => {
  it("converts by type", () => {
    expect(fromCsvCell(typeOf("int"), " 42 ")).toEqual({ ok: true, value: 42 });
    expect(fromCsvCell(typeOf("int"), "4.2")).toEqual({ ok: false, message: 'expected an integer (int), got "4.2"' });
    expect(fromCsvCell(typeOf("double"), "-1.5e3")).toEqual({ ok: true, value: -1500 });
    expect(fromCsvCell(typeOf("double"), "NaN").ok).toBe(false);
    expect(fromCsvCell(typeOf("boolean"), "Yes")).toEqual({ ok: true, value: true });
    expect(fromCsvCell(typeOf("boolean"), "0")).toEqual({ ok: true, value: false });
    expect(fromCsvCell(typeOf("boolean"), "maybe").ok).toBe(false);
    expect(fromCsvCell(typeOf("string"), "")).toEqual({ ok: true, value: "" });
    expect(fromCsvCell(typeOf(["null", "string"]), "")).toEqual({ ok: true, value: null });
    expect(fromCsvCell(typeOf(["null", "long", "string"]), "12")).toEqual({ ok: true, value: 12 });
    expect(fromCsvCell(typeOf(["null", "long", "string"]), "a12")).toEqual({ ok: true, value: "a12" });
    expect(fromCsvCell(typeOf({ type: "array", items: "int" }), "[1,2]")).toEqual({ ok: true, value: [1, 2] });
    expect(fromCsvCell(typeOf({ type: "array", items: "int" }), "1,2").ok).toBe(false);
    const ts = typeOf({ type: "long", logicalType: "timestamp-millis" });
    const cell = fromCsvCell(ts, "2024-01-01T00:00:00Z");
    expect(cell.ok && checkValue(ts, cell.value)).toEqual({ ok: true, value: Date.UTC(2024, 0, 1) });
  });
});
