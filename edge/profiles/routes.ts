import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { addEntityRoutes } from "./routes/entity";
import { addPersonalizeRoutes } from "./routes/personalize";
import { personRoutes } from "./routes/person";

/**
 * The profiles sub-app: `/personalize` (browser, behind the browser guard)
 * and the entity API (`/api/entity`, `/api/me`; token roles as route
 * middleware). Mount it after the experiences sub-app, which completes
 * `/personalize`'s answer.
 */
export function profilesRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  addPersonalizeRoutes(app);
  addEntityRoutes(app);
  app.route("/", personRoutes()); // GET /api/person/{field}/{value}, the console's People page
  return app;
}
