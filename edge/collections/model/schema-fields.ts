/**
 * What a definition asks of its Avro schema: top-level fields, the types
 * usable as keys, and the type changes that can still read stored rows.
 */
import { nonNull, type AvroRecord, type AvroType } from "../codecs/avro";

/** Top-level field of a schema by name. */
export function field(schema: AvroRecord, name: string) {
  return schema.fields.find((f) => f.name === name);
}

/** The key kind (`string` or `integer`) of a type usable as a key, or null. */
export function keyKind(type: AvroType): "string" | "integer" | null {
  const t = nonNull(type);
  if (t.kind !== "primitive") return null;
  if (t.type === "string") return "string";
  if (t.type === "int" || t.type === "long") return "integer";
  return null;
}

/** Avro type promotions allowed when data exists (reader can read old data). */
export function readable(oldType: AvroType, newType: AvroType): boolean {
  const a = JSON.stringify(simplify(oldType));
  const b = simplify(newType);
  if (a === JSON.stringify(b)) return true;
  if (oldType.kind === "primitive" && newType.kind === "primitive") {
    const promotions: Record<string, string[]> = {
      int: ["long", "float", "double"],
      long: ["float", "double"],
      float: ["double"],
      string: ["bytes"],
      bytes: ["string"],
    };
    return promotions[oldType.type]?.includes(newType.type) ?? false;
  }
  if (newType.kind === "union") {
    const olds = oldType.kind === "union" ? oldType.branches : [oldType];
    return olds.every((o) => newType.branches.some((n) => readable(o, n)));
  }
  return false;
}
function simplify(t: AvroType, depth = 0): unknown {
  if (depth > 6) return "…";
  switch (t.kind) {
    case "primitive":
      return t.type;
    case "record":
      return { record: t.name, fields: t.fields.map((f) => [f.name, simplify(f.type, depth + 1)]) };
    case "enum":
      return { enum: t.name, symbols: t.symbols };
    case "fixed":
      return { fixed: t.name, size: t.size };
    case "array":
      return { array: simplify(t.items, depth + 1) };
    case "map":
      return { map: simplify(t.values, depth + 1) };
    case "union":
      return t.branches.map((b) => simplify(b, depth + 1));
  }
}
