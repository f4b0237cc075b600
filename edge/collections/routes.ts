import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../accounts/app-env";
import { addDataRoutes } from "./routes/data";
import { addRegistryRoutes } from "./routes/registry";
import { addUploadRoutes } from "./routes/uploads";

/**
 * The Intempt-style collections API (`/v1/:org/...`, `:org` is the account
 * id): collections with Avro schemas, their data (JSON and CSV ingest),
 * source ingest across collections, events and a person's event matches.
 * Reads need any role, writes admin or data_manager (each operation carries
 * its middleware); an upload URL carries its own token.
 */
export function collectionsRoutes(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  addRegistryRoutes(app);
  addDataRoutes(app);
  addUploadRoutes(app);
  return app;
}
