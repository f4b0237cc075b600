import { includes, parse, print, SegmentQLError, validateAst, type SegmentAst } from "../segmentql";
import type { AccountRpc } from "../accounts/contract";
import { ApiError, badRequest, conflict, unprocessable, type ErrorDetail } from "../platform/http/errors";
import { hexId, type AudienceKind, type AudienceRecord } from "../accounts/records/audience-records";

/** Slugs: lower-case letters, digits and `_`, starting with a letter, at most 128 characters. */
export const SLUG = /^[a-z][a-z0-9_]{0,127}$/;
/** Most audiences per account. */
export const MAX_SEGMENTS = 10_000;

/** Turns a SegmentQL error into API error details naming line and column. */
export function segmentQLDetails(err: SegmentQLError, path: string): ErrorDetail[] {
  const where = err.line > 0 ? `line ${err.line}, column ${err.column}: ` : "";
  const expected = err.expected?.length ? ` (expected ${err.expected.join(", ")})` : "";
  return [{ path, message: `${where}${err.message}${expected}` }];
}

/** Parses SegmentQL text (400 naming line and column when it does not parse). */
export function parseText(text: string, path = "segment_ql") {
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof SegmentQLError)
      throw new ApiError(400, "the SegmentQL does not parse", segmentQLDetails(err, path));
    throw err;
  }
}

/** Validates a JSON ast (422 naming the path when invalid). */
export function checkAst(json: unknown): SegmentAst {
  try {
    return validateAst(json);
  } catch (err) {
    if (err instanceof SegmentQLError) throw unprocessable("the ast is not valid", segmentQLDetails(err, "ast"));
    throw err;
  }
}

/**
 * The INCLUDE cycle that saving audience `id` as `slug` (INCLUDEing
 * `direct`) would close, as a path from `slug` back to it, or null. Walks
 * only the audiences reachable from `direct`, level by level; the stored
 * version of audience `id` is left out (its new definition replaces it, and
 * a renamed audience's old slug has no edges).
 */
async function includeCycle(account: AccountRpc, id: string, slug: string, direct: string[]): Promise<string[] | null> {
  const parent = new Map<string, string>(direct.map((d) => [d, slug]));
  let level = direct;
  while (level.length > 0) {
    const next: string[] = [];
    for (const rec of await account.audiencesBySlug(level)) {
      if (rec.id === id || !rec.ast) continue;
      for (const inc of includes(rec.ast)) {
        if (inc === slug) {
          const path = [slug, rec.slug_name];
          for (let at = rec.slug_name; at !== slug; ) {
            at = parent.get(at)!;
            path.push(at);
          }
          return path.reverse();
        }
        if (!parent.has(inc)) {
          parent.set(inc, rec.slug_name);
          next.push(inc);
        }
      }
    }
    level = next;
  }
  return null;
}

/** What a create or update asks for. */
export interface SegmentInput {
  id?: string;
  slug_name: string;
  name?: string;
  description?: string;
  is_public?: boolean;
  kind?: AudienceKind;
  ast: SegmentAst | null;
  groups?: string[];
}

/**
 * Validates an audience against the account's others (INCLUDEd slugs must
 * exist, no INCLUDE cycle, unique slug, known groups) and stores it.
 * Returns the stored record.
 */
export async function saveSegment(
  account: AccountRpc,
  input: SegmentInput,
  existing: AudienceRecord | null,
): Promise<AudienceRecord> {
  if (!SLUG.test(input.slug_name))
    throw unprocessable("the slug is not valid", [
      {
        path: "slug_name",
        message: "lower-case letters, digits and _, starting with a letter, at most 128 characters",
      },
    ]);
  // Everything below reads the audiences it names (index lookups), never the
  // whole catalog, so saving one costs the same at 100 or 10,000 audiences.
  if (!existing && (await account.countAudiences()) >= MAX_SEGMENTS)
    throw unprocessable(`an account may have at most ${MAX_SEGMENTS} audiences`);
  const kind = input.kind ?? existing?.kind ?? "rule";
  if (kind === "rule" && !input.ast)
    throw unprocessable("a rule audience needs a definition", [{ path: "ast", message: "give ast or segment_ql" }]);
  const ast = kind === "manual" ? null : input.ast;
  const id = existing?.id ?? input.id ?? hexId();
  const direct = ast ? includes(ast) : [];
  const known = new Map(
    (await account.audiencesBySlug([input.slug_name, ...direct])).map((s) => [s.slug_name, s] as const),
  );
  const clash = known.get(input.slug_name);
  if (clash && clash.id !== id)
    throw conflict(`the slug ${input.slug_name} is taken by audience ${clash.id}`, [
      { path: "slug_name", message: "must be unique in the account" },
    ]);
  if (ast) {
    const missing = direct.filter((slug) => !known.has(slug) || known.get(slug)!.id === id);
    if (direct.includes(input.slug_name))
      throw unprocessable("an audience cannot INCLUDE itself", [
        { path: "ast", message: `INCLUDE ${input.slug_name}` },
      ]);
    if (missing.length)
      throw unprocessable(
        "INCLUDEd audiences must exist",
        missing.map((m) => ({ path: "ast", message: `unknown audience ${m}` })),
      );
    const cycle = await includeCycle(account, id, input.slug_name, direct);
    if (cycle) throw unprocessable("INCLUDE would form a cycle", [{ path: "ast", message: cycle.join(" -> ") }]);
  }
  if (existing && existing.slug_name !== input.slug_name) {
    const users = await account.audiencesIncluding(existing.slug_name);
    if (users.length)
      throw conflict(
        `audiences INCLUDE ${existing.slug_name}; its slug cannot change`,
        users.map((u) => ({ path: "slug_name", message: `INCLUDEd by ${u.slug_name} (${u.id})` })),
      );
  }
  const groups = input.groups ?? existing?.groups ?? [];
  if (groups.length) {
    const known = new Set((await account.listGroups()).map((g) => g.id));
    const unknown = groups.filter((g) => !known.has(g));
    if (unknown.length)
      throw unprocessable(
        "unknown groups",
        unknown.map((g) => ({ path: "groups", message: `no group ${g}` })),
      );
  }
  const now = new Date().toISOString();
  const record: AudienceRecord = {
    id,
    slug_name: input.slug_name,
    name: input.name ?? existing?.name ?? input.slug_name,
    description: input.description ?? existing?.description ?? "",
    table: "user",
    is_public: input.is_public ?? existing?.is_public ?? false,
    kind,
    ast,
    segment_ql: ast
      ? print({ table: "user", alias: input.slug_name, ast })
      : `-- manual audience: membership is assigned through the API\nFILTER ${input.slug_name} = true FROM user ALIAS ${input.slug_name}`,
    groups,
    created: existing?.created ?? now,
    updated: now,
  };
  const saved = await account.putAudience(record);
  if (!saved.ok) throw conflict(`the slug ${input.slug_name} is taken by audience ${saved.conflict}`);
  return record;
}

/** Refuses to delete an audience that others INCLUDE (409 naming them). */
export async function checkDeletable(account: AccountRpc, segment: AudienceRecord): Promise<void> {
  const users = await account.audiencesIncluding(segment.slug_name);
  if (users.length)
    throw conflict(
      `audience ${segment.slug_name} is INCLUDEd by others`,
      users.map((u) => ({ path: "id", message: `INCLUDEd by ${u.slug_name} (${u.id})` })),
    );
}

/** The audiences a segment INCLUDEs, transitively, nearest first. */
export function ancestors(all: AudienceRecord[], segment: AudienceRecord): AudienceRecord[] {
  const bySlug = new Map(all.map((s) => [s.slug_name, s]));
  const out: AudienceRecord[] = [];
  const seen = new Set([segment.slug_name]);
  let frontier = [segment];
  while (frontier.length) {
    const next: AudienceRecord[] = [];
    for (const s of frontier) {
      for (const slug of s.ast ? includes(s.ast) : []) {
        const parent = bySlug.get(slug);
        if (parent && !seen.has(slug)) {
          seen.add(slug);
          out.push(parent);
          next.push(parent);
        }
      }
    }
    frontier = next;
  }
  return out;
}

/** Reads `ast` or `segment_ql` from a v2 body (exactly one). */
export function definitionOf(
  body: { ast?: unknown; segment_ql?: string },
  slug?: string,
): { ast: SegmentAst | null; alias?: string } {
  if (body.ast !== undefined && body.segment_ql !== undefined) throw badRequest("give ast or segment_ql, not both");
  if (body.ast !== undefined) return { ast: checkAst(body.ast) };
  if (body.segment_ql !== undefined) {
    const parsed = parseText(body.segment_ql);
    if (parsed.table !== "user")
      throw unprocessable("only the user table has audiences", [
        { path: "segment_ql", message: `FROM ${parsed.table}` },
      ]);
    if (slug && parsed.alias && parsed.alias !== slug)
      throw unprocessable("the ALIAS and slug_name differ", [
        { path: "segment_ql", message: `ALIAS ${parsed.alias} vs slug_name ${slug}` },
      ]);
    return { ast: parsed.ast, alias: parsed.alias };
  }
  return { ast: null };
}
