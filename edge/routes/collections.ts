import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";

/** Intempt-style collections API (`/v1/:org/...`). */
export function registerCollections(_app: OpenAPIHono<AppEnv>): void {}
