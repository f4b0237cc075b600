import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { addAccountRoutes } from "./routes/account";
import { addFieldRoutes } from "./routes/fields";
import { addTokenRoutes } from "./routes/tokens";

/**
 * The accounts sub-app: account settings and identity secret
 * (`/api/account`), API tokens (`/api/token`), `/api/whoami` and the
 * profile field schema (`/api/schema/user/fields`). Each operation carries
 * its role middleware.
 */
export function accountsRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  addAccountRoutes(app);
  addTokenRoutes(app);
  addFieldRoutes(app);
  return app;
}
