import { OpenAPIHono } from "@hono/zod-openapi";
import type { Env as HonoEnv } from "hono";
import { errorResponse } from "./errors";
import { zodErrors } from "./validation";

/**
 * A sub-app for a group of routes, mounted on the worker app with
 * `app.route("/", group)`: its `createRoute` validation failures answer
 * 400 `{status, message, errors}` as the main app's do.
 */
export function routeApp<E extends HonoEnv>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({
    defaultHook: (result, c) => {
      if (!result.success) return errorResponse(c, 400, "the request is not valid", zodErrors(result.error));
    },
  });
}
