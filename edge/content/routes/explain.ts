/**
 * `GET /api/content/explain/user/{field}/{value}`: the recommendations a
 * visitor would get, each with why it ranked there (the console's
 * recommendation preview). Same parameters and rate budget as the token
 * recommendation API.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall, requireRole } from "../../accounts/access/auth";
import { READ } from "../../accounts/access/roles";
import { normalizeIdentifier } from "../../identity/identifiers";
import { ApiError } from "../../platform/http/errors";
import { errorResponses, tokenSecurity } from "../../platform/http/openapi";
import { routeApp } from "../../platform/http/route-app";
import { topicAffinities } from "../../profiles/affinity/affinity";
import { findProfile } from "../../profiles/resolve/find-profile";
import { spendRecommendation } from "../budget";
import { explainItem } from "../explain";
import { effectiveRank, parseRecommendQuery } from "../recommend";
import { ExplainQuery, ExplanationSchema } from "../schemas";
import { contentStub } from "../stubs";

/** The recommendation preview route (mounted with `app.route("/", ...)`). */
export function contentExplainRoutes(): OpenAPIHono<AppEnv> {
  const app = routeApp<AppEnv>();
  app.use("/api/content/explain/*", requireRole(...READ));
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/content/explain/user/{field}/{value}",
      tags: ["Content"],
      summary: "Recommendations for a visitor, each with why it ranked there",
      description:
        "`field` is an identifier field (`_uid`, `email`, ...). The ranking is the recommendation API's; each item adds its topics' shares of the score (affinity × weight / Σ weights), its popularity and plain-language reasons. An unknown visitor gets the ranking an unknown visitor gets (popular).",
      security: tokenSecurity,
      request: { params: z.object({ field: z.string(), value: z.string() }), query: ExplainQuery },
      responses: {
        200: {
          description: "The ranked documents with reasons",
          content: {
            "application/json": {
              schema: z.object({ status: z.number(), message: z.string(), data: ExplanationSchema }),
            },
          },
        },
        ...errorResponses(400, 401, 403, 404, 429),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      await spendRecommendation(c.env, account.cid, account.rate_limit_per_second);
      const parsed = parseRecommendQuery(new URL(c.req.url).searchParams);
      if (!parsed.ok) throw new ApiError(parsed.status, "the recommendation parameters are not valid", parsed.problems);
      const { field: rawField, value: raw } = c.req.valid("param");
      const field = rawField === "_uids" ? "_uid" : rawField;
      const value = normalizeIdentifier(field, raw, account);
      const profile = value === null ? null : await findProfile(c.env, account, { field, value });
      const stub = contentStub(c.env, account.cid);
      const answer = await stub.recommend(parsed.value, profile?.content);
      if (!answer.ok) throw new ApiError(answer.status, "the content filter is not valid", answer.problems);
      const now = Date.now();
      const affinities = profile?.content ? topicAffinities(profile.content, now) : {};
      const rankUsed = effectiveRank(parsed.value.rank, affinities);
      const docs = await Promise.all(answer.data.map((item) => stub.getDocument(item.url)));
      return c.json(
        {
          status: 200,
          message: "success",
          data: {
            visitor: {
              found: profile !== null,
              profile_id: profile?.id ?? null,
              affinities: Object.entries(affinities).map(([topic, affinity]) => ({
                topic,
                affinity: Math.round(affinity * 10_000) / 10_000,
              })),
              visited: Object.keys(profile?.content?.visited ?? {}).length,
            },
            rank: parsed.value.rank,
            rank_used: rankUsed,
            items: answer.data.map((item, i) => explainItem(item, docs[i] ?? null, rankUsed, affinities, now)),
          },
        },
        200,
      );
    },
  );
  return app;
}
