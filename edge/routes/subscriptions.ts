import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../env";

/** Subscription API (`/api/subscription`). */
export function registerSubscriptions(_app: OpenAPIHono<AppEnv>): void {}
