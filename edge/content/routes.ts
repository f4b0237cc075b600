/**
 * Content API: documents (`/api/content/doc`), CSV import, settings, saved
 * content audiences (token, like every management route) and the
 * Lytics-compatible recommendation API (browser and token variants).
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { addDocumentRoutes } from "./routes/documents";
import { addRecommendRoutes } from "./routes/recommend";
import { addSettingsRoutes } from "./routes/settings";
import { contentExplainRoutes } from "./routes/explain";

/** The content sub-app: the content API (token) and the recommendation API (browser and token). */
export function contentRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  addRecommendRoutes(app);
  addDocumentRoutes(app);
  addSettingsRoutes(app);
  app.route("/", contentExplainRoutes()); // the console's recommendation preview
  return app;
}
