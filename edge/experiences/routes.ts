/**
 * The experiences sub-app: the browser's `config.js`, the Experiences API
 * (`/api/experience`, token and roles as route middleware) and the report.
 * The experiences a visitor qualifies for reach `/personalize` by an
 * explicit call: edge/app.ts hands `eligibleFor` to the profiles sub-app.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { addConfigRoutes } from "./routes/config";
import { addManagementRoutes } from "./routes/management";
import { addReportRoutes } from "./routes/report";

/** The experiences sub-app. */
export function experiencesRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  addConfigRoutes(app);
  addManagementRoutes(app);
  addReportRoutes(app);
  return app;
}
