import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { requireRole } from "../auth";
import { READ, ROLES } from "../roles";
import { errorResponses, tokenSecurity } from "../../platform/http/openapi";

const WhoamiSchema = z
  .object({
    role: z.enum(ROLES).openapi({ description: "What the token may do: admin, data_manager or reader" }),
    cid: z
      .string()
      .nullable()
      .openapi({ description: "The token's account; null for the bootstrap ADMIN_TOKEN, which acts on any account" }),
    root: z.boolean().openapi({ description: "True for the bootstrap ADMIN_TOKEN" }),
    attributes: z
      .array(z.string())
      .nullable()
      .openapi({ description: "Profile fields the token is limited to, or null" }),
  })
  .openapi("Whoami");

const whoami = createRoute({
  method: "get",
  path: "/api/whoami",
  tags: ["Account"],
  summary: "The calling token's role and account",
  description:
    "Any valid token may ask. The console calls it at sign-in to learn what to show; scripts can use it to check a token before using it.",
  security: tokenSecurity,
  responses: {
    200: {
      description: "The token",
      content: {
        "application/json": {
          schema: z.object({ status: z.number(), message: z.string(), data: WhoamiSchema }),
        },
      },
    },
    ...errorResponses(401, 429),
  },
});

/** `GET /api/whoami`: tells a token its own role and account. */
export function registerWhoami(app: OpenAPIHono<AppEnv>): void {
  app.use("/api/whoami", requireRole(...READ));
  app.openapi(whoami, (c) => {
    const auth = c.get("auth");
    return c.json(
      {
        status: 200,
        message: "success",
        data: { role: auth.role, cid: auth.cid, root: auth.root, attributes: auth.attributes },
      },
      200,
    );
  });
}
