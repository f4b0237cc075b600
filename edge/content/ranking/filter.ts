/** Content filters: `contentsegment` and `ql` compiled to a test of a content-table row. */
import type { Checked } from "./params";
import { type Predicate, type Profile, type SegmentAst, compile, includes, parse } from "../../segmentql";
import { ENTRY_FIELDS } from "./rank-entry";
/**
 * A compiled `contentsegment`/`ql` filter: a test of a row of the content
 * table at `now`, and whether it reads only fields a rank entry holds
 * (`ENTRY_FIELDS`), so it can run without the stored documents.
 */
export interface DocumentFilter {
  test: (row: Profile, now: number) => boolean;
  hot: boolean;
}

const SLUG = /^[A-Za-z0-9_.:-]{1,128}$/;
const STATEMENT = /^\s*(--[^\n]*\n\s*)*filter\b/i;

/** The field names (first path segment) an AST reads. */
function fieldsRead(ast: SegmentAst, into = new Set<string>()): Set<string> {
  if (ast.op === "and" || ast.op === "or") for (const a of ast.args) fieldsRead(a, into);
  else if (ast.op === "not") fieldsRead(ast.args[0], into);
  else {
    const ident = (ast.args[0] as { ident?: unknown }).ident;
    if (typeof ident === "string") into.add(ident.split(".")[0]!);
  }
  return into;
}

/**
 * Compiles a `contentsegment`/`ql` value: SegmentQL text (`FILTER ...`,
 * `FROM content` or no FROM), or the slug of a saved content audience
 * that `resolve` turns into SegmentQL text (404 when unknown). INCLUDE
 * is refused (content audiences do not nest).
 */
export function compileContentFilter(
  value: string,
  param: "contentsegment" | "ql",
  resolve: (slug: string) => string | undefined = () => undefined,
): Checked<DocumentFilter> {
  let text = value;
  if (!STATEMENT.test(value)) {
    if (!SLUG.test(value))
      return {
        ok: false,
        status: 400,
        problems: [
          { path: param, message: "expected a SegmentQL filter (FILTER ... FROM content) or a content audience slug" },
        ],
      };
    const found = resolve(value);
    if (found === undefined)
      return { ok: false, status: 404, problems: [{ path: param, message: `no content audience "${value}"` }] };
    text = found;
  }
  try {
    const parsed = parse(text);
    if (parsed.table !== "content" && !fromOmitted(text))
      return {
        ok: false,
        status: 400,
        problems: [{ path: param, message: `a content filter reads FROM content, not FROM ${parsed.table}` }],
      };
    if (includes(parsed.ast).length)
      return {
        ok: false,
        status: 400,
        problems: [{ path: param, message: "INCLUDE is not supported in content filters" }],
      };
    const test: Predicate = compile(parsed.ast).test;
    const hot = [...fieldsRead(parsed.ast)].every((f) => ENTRY_FIELDS.has(f));
    return { ok: true, value: { test, hot } };
  } catch (e) {
    return { ok: false, status: 400, problems: [{ path: param, message: e instanceof Error ? e.message : String(e) }] };
  }
}

/** Whether a statement that parsed with table `user` had no FROM clause (then it reads the content table). */
function fromOmitted(text: string): boolean {
  try {
    return parse(text.replace(/;\s*$/, "") + "\nFROM content").table === "content";
  } catch {
    return false;
  }
}
