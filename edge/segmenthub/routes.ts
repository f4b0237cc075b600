/**
 * SegmentHub REST API (reference 004): profiles (known people, by
 * `profileId`) and visitors (devices, by `visitorId` = the `_uid` cookie),
 * with the token in the body or the Authorization header. `profileId` is
 * looked up by the account's `profile_id_field` (default `user_id`).
 */
import type { Context } from "hono";
import { createRoute, OpenAPIHono, type z } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { authenticate, clientAddress, tokenOf } from "../accounts/access/auth";
import { applyBrowserCors } from "../accounts/access/browser-guard";
import { findAccount, type AccountConfig } from "../accounts/settings/config";
import type { AuthContext } from "../accounts/contract";
import { READ, WRITE } from "../accounts/access/roles";
import { API_BODY_LIMIT, mediaType, parseJson, readText } from "../platform/http/body";
import { ApiError, badRequest, forbidden, notFound, unauthorized, unsupportedType } from "../platform/http/errors";
import { errorResponses, jsonBody, jsonContent } from "../platform/http/openapi";
import { bodiesOf, CampaignSchema, CampaignsAnswerSchema, EnvelopeSchema, type Kind } from "./schemas";
import { assignSegments, checkCampaignEvent, queryPerson, recordCampaignEvent, saveAttributes } from "./service";

type C = Context<AppEnv>;

/** Reads and checks a SegmentHub JSON body (415 / 400 with the field named). */
async function body<T extends z.ZodType>(c: C, schema: T): Promise<z.infer<T>> {
  if (mediaType(c) !== "application/json") throw unsupportedType("the API only accepts application/json");
  const parsed = schema.safeParse(parseJson(await readText(c, API_BODY_LIMIT)));
  if (!parsed.success)
    throw badRequest(
      "the request is malformed or misses required parameters",
      parsed.error.issues.map((i) => ({ path: i.path.join(".") || undefined, message: i.message })),
    );
  return parsed.data;
}

/** The account of the body (404 unknown) and the caller (401/403). */
async function caller(
  c: C,
  b: { account: string; token?: string },
  roles: typeof READ,
): Promise<{ account: AccountConfig; auth: AuthContext }> {
  const account = await findAccount(c.env, b.account);
  if (!account) throw notFound(`account ${b.account} not found`);
  const token = b.token ?? tokenOf(c);
  if (!token) throw unauthorized();
  const auth = await authenticate(c.env, token, roles, clientAddress(c));
  if (auth.cid && auth.cid !== account.cid) throw forbidden("the token belongs to another account");
  return { account, auth };
}

/** 403 when the token is limited to attributes and `names` reach past them. */
function checkAttributes(auth: AuthContext, names: string[]): void {
  if (!auth.attributes) return;
  const denied = names.filter((n) => !auth.attributes!.includes(n));
  if (denied.length)
    throw new ApiError(
      403,
      "the token may not access these attributes",
      denied.map((d) => ({ path: "attributes", message: d })),
    );
}

/** The `profileId` or `visitorId` of a checked body. */
const idOf = (b: object, name: string): string => (b as Record<string, string>)[name]!;

/** A SegmentHub operation: a POST with a JSON body answering the envelope. */
function operation(app: OpenAPIHono<AppEnv>, path: string, summary: string, name: string, schema: z.ZodType) {
  return createRoute({
    method: "post",
    path,
    tags: ["SegmentHub"],
    summary,
    request: { body: jsonBody(app, name, schema) },
    responses: { 200: jsonContent(EnvelopeSchema, "Done"), ...errorResponses(400, 401, 403, 404, 415) },
  });
}

/** The SegmentHub sub-app: `/profiles/*`, `/visitors/*` (token) and `/campaigns/query` (browser). */
export function segmentHubRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  for (const kind of ["profiles", "visitors"] as const satisfies Kind[]) {
    const idName = kind === "profiles" ? "profileId" : "visitorId";
    const label = kind === "profiles" ? "profile" : "visitor";
    const Label = kind === "profiles" ? "Profile" : "Visitor";
    const bodies = bodiesOf(kind);

    app.openapi(
      operation(
        app,
        `/${kind}/query`,
        `Attributes and segments of a ${label}`,
        `SegmentHub${Label}Query`,
        bodies.query,
      ),
      async (c) => {
        const b = await body(c, bodies.query);
        const { account, auth } = await caller(c, b, READ);
        checkAttributes(auth, b.attributes ?? []);
        const names = b.attributes ?? auth.attributes ?? null;
        const found = await queryPerson(c.env, account, kind, idOf(b, idName), names, b.segments);
        return c.json({ status: 200, message: `${Label} queried successfully.`, errors: [], ...found }, 200);
      },
    );

    app.openapi(
      operation(
        app,
        `/${kind}/attributes`,
        `Update attributes of a ${label}`,
        `SegmentHub${Label}Attributes`,
        bodies.attributes,
      ),
      async (c) => {
        const b = await body(c, bodies.attributes);
        const { account, auth } = await caller(c, b, WRITE);
        checkAttributes(auth, Object.keys(b.attributes));
        const id = idOf(b, idName);
        await saveAttributes(c.env, account, kind, id, b.attributes);
        return c.json(
          { status: 200, [idName]: id, message: `${Label} attributes saved successfully.`, errors: [] },
          200,
        );
      },
    );

    app.openapi(
      operation(
        app,
        `/${kind}/segments`,
        `Assign or remove segments of a ${label} by hand`,
        `SegmentHub${Label}Segments`,
        bodies.segments,
      ),
      async (c) => {
        const b = await body(c, bodies.segments);
        const { account } = await caller(c, b, WRITE);
        const segments = await assignSegments(
          c.env,
          account,
          kind,
          idOf(b, idName),
          b.assignees ?? [],
          b.removes ?? [],
        );
        return c.json({ status: 200, message: "Segments updated successfully.", errors: [], segments }, 200);
      },
    );
  }

  const campaigns = operation(
    app,
    "/campaigns/query",
    "Record a pageView, productView, purchase or custom event and return the campaigns the visitor is eligible for",
    "SegmentHubCampaignEvent",
    CampaignSchema,
  );
  app.openapi(
    createRoute({
      method: "options",
      path: "/campaigns/query",
      hide: true,
      responses: { 204: { description: "Preflight" } },
    }),
    async (c) => {
      const origin = c.req.header("origin");
      if (!origin) return c.body(null, 204);
      // The account is in the body, which a preflight does not carry: answer for the origin and check it on the real call.
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Allow-Methods", "POST, OPTIONS");
      c.header("Access-Control-Allow-Headers", "content-type");
      c.header("Vary", "Origin");
      return c.body(null, 204);
    },
  );
  app.openapi(
    {
      ...campaigns,
      responses: { 200: jsonContent(CampaignsAnswerSchema, "Done"), ...errorResponses(400, 401, 403, 404, 415) },
      description:
        "Browser endpoint (no token; CORS limited to the account's domains). Campaigns are the account's published experiences the visitor qualifies for after this event, as `/personalize` lists them: `{id, name, tactic, type, variation, widget}` (`variation: \"control\"` with `widget: null` for a visitor held out).",
    },
    async (c) => {
      const b = await body(c, CampaignSchema);
      checkCampaignEvent(b);
      const account = await findAccount(c.env, b.account);
      if (!account) throw notFound(`account ${b.account} not found`);
      applyBrowserCors(c, account);
      const campaigns = await recordCampaignEvent(c.env, account, b);
      return c.json({ status: 200, message: "Campaigns executed successfully.", campaigns }, 200);
    },
  );
  return app;
}
