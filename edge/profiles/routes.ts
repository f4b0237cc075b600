import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { addEntityRoutes } from "./routes/entity";
import { addPersonalizeRoutes, type PersonalizeExperiences } from "./routes/personalize";
import { personRoutes } from "./routes/person";

/**
 * The profiles sub-app: `/personalize` (browser, behind the browser guard)
 * and the entity API (`/api/entity`, `/api/me`; token roles as route
 * middleware). `experiencesFor` lists the experiences a visitor qualifies
 * for in `/personalize`'s answer (the experiences domain's `eligibleFor`).
 */
export function profilesRoutes(options: { experiencesFor?: PersonalizeExperiences } = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  addPersonalizeRoutes(app, options.experiencesFor);
  addEntityRoutes(app);
  app.route("/", personRoutes()); // GET /api/person/{field}/{value}, the console's People page
  return app;
}
