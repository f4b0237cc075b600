/**
 * Audience routes the console needs beside the Segment API: live SegmentQL
 * validation with line and column, a preview of an audience's members, and
 * its size over time.
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall, requireRole } from "../../accounts/access/auth";
import { accountStub } from "../../accounts/config";
import { READ, WRITE } from "../../accounts/access/roles";
import { errorResponses, tokenSecurity } from "../../platform/http/openapi";
import { notFound } from "../../platform/http/errors";
import { routeApp } from "../../platform/http/route-app";
import { fieldOptions, profileStub } from "../../profiles/profile-stub";
import { includes, parse, print, SegmentQLError } from "../../segmentql";
import { AUDIENCE_SHARDS, indexShard } from "../index-shards";
import {
  AudienceParam,
  CidQuery,
  jsonEnvelope,
  HistoryQuery,
  MemberSchema,
  MembersQuery,
  SizePointSchema,
  ValidateBody,
  ValidationSchema,
} from "../schemas";
import { sizeSeries } from "../size-history";
import { z } from "@hono/zod-openapi";

type C = Context<AppEnv>;
type Problem = { line: number; column: number; message: string; expected?: string[] };

const tags = ["Audiences"];
const ok = <T>(c: C, data: T) => c.json({ status: 200, message: "success", data }, 200);

/** Where `INCLUDE slug` first appears in the text (1-based), or 0:0. */
function placeOfInclude(text: string, slug: string): { line: number; column: number } {
  const m = new RegExp(`\\bINCLUDE\\s+\`?${slug}\\b`, "i").exec(text);
  if (!m) return { line: 0, column: 0 };
  const before = text.slice(0, m.index).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** Checks SegmentQL text as saving it would: syntax, table, INCLUDEd audiences. */
export function validateText(text: string, audiences: readonly string[]) {
  const problems: Problem[] = [];
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(text);
  } catch (err) {
    if (!(err instanceof SegmentQLError)) throw err;
    const message = err.message.replace(/ at line \d+, column \d+$/, "");
    problems.push({
      line: err.line,
      column: err.column,
      message,
      ...(err.expected?.length ? { expected: err.expected } : {}),
    });
    return { valid: false, table: null, alias: null, ast: null, segment_ql: null, errors: problems };
  }
  if (parsed.table !== "user")
    problems.push({ line: 0, column: 0, message: `only the user table has audiences, not FROM ${parsed.table}` });
  const known = new Set(audiences);
  for (const slug of includes(parsed.ast)) {
    if (slug === parsed.alias)
      problems.push({ ...placeOfInclude(text, slug), message: "an audience cannot INCLUDE itself" });
    else if (!known.has(slug)) problems.push({ ...placeOfInclude(text, slug), message: `unknown audience ${slug}` });
  }
  return {
    valid: problems.length === 0,
    table: parsed.table,
    alias: parsed.alias ?? null,
    ast: parsed.ast,
    segment_ql: print({ table: parsed.table, ...(parsed.alias ? { alias: parsed.alias } : {}), ast: parsed.ast }),
    errors: problems,
  };
}

async function findAudience(c: C, cid: string, id: string) {
  const seg = await accountStub(c.env, cid).getAudience(id);
  if (!seg) throw notFound(`no audience with id or slug ${id}`);
  return seg;
}

/** The console's audience routes (mounted with `app.route("/", ...)`). */
export function audienceInsightRoutes(): OpenAPIHono<AppEnv> {
  const app = routeApp<AppEnv>();
  app.use("/v2/segment/validate", requireRole(...WRITE));
  app.use("/v2/segment/:id/members", requireRole(...READ));
  app.use("/v2/segment/:id/size-history", requireRole(...READ));

  app.openapi(
    createRoute({
      method: "post",
      path: "/v2/segment/validate",
      tags,
      summary: "Check SegmentQL without saving it: every problem with its line and column, or the parsed ast",
      description:
        "Answers 200 whether or not the text is valid: `valid`, and `errors` with 1-based `line` and `column` (0 when a problem has no place, e.g. the table). Unknown or self INCLUDEs are problems, as saving would refuse them.",
      security: tokenSecurity,
      request: { query: CidQuery, body: { content: { "application/json": { schema: ValidateBody } }, required: true } },
      responses: {
        200: { description: "The verdict", content: jsonEnvelope(ValidationSchema) },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const slugs = (await accountStub(c.env, account.cid).listAudiences()).map((a) => a.slug_name);
      return ok(c, validateText(c.req.valid("json").segment_ql, slugs));
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/segment/{id}/members",
      tags,
      summary: "A preview of an audience's members (from the audience index) with their fields",
      security: tokenSecurity,
      request: { query: MembersQuery, params: AudienceParam },
      responses: {
        200: { description: "Members", content: jsonEnvelope(z.array(MemberSchema)) },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const seg = await findAudience(c, account.cid, c.req.valid("param").id);
      const limit = c.req.valid("query").limit ?? 20;
      const ids: string[] = [];
      for (let n = 0; n < AUDIENCE_SHARDS && ids.length < limit; n++)
        ids.push(...(await indexShard(c.env, account.cid, n).members(seg.slug_name, "", limit - ids.length)));
      const options = fieldOptions(account);
      const views = await Promise.all(ids.map((id) => profileStub(c.env, account.cid, id).read(options)));
      const members = views.flatMap((v) =>
        v && !("alias" in v) ? [{ id: v.id, identifiers: v.identifiers, fields: v.fields }] : [],
      );
      return ok(c, members);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v2/segment/{id}/size-history",
      tags,
      summary: "An audience's size at the end of each day (UTC), from the audience index",
      description:
        "One point per day, oldest first, ending today (today's point is the current size). Days before the index recorded the audience have `size: null`.",
      security: tokenSecurity,
      request: { query: HistoryQuery, params: AudienceParam },
      responses: {
        200: { description: "Sizes", content: jsonEnvelope(z.array(SizePointSchema)) },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const seg = await findAudience(c, account.cid, c.req.valid("param").id);
      const shards = await Promise.all(
        Array.from({ length: AUDIENCE_SHARDS }, (_, n) => indexShard(c.env, account.cid, n).sizeHistory(seg.slug_name)),
      );
      return ok(c, sizeSeries(shards, c.req.valid("query").days ?? 30, Date.now()));
    },
  );
  return app;
}
