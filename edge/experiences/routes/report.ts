/** `GET /api/experience/{id}/report`: an experience's report. */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../accounts/app-env";
import { accountOfCall } from "../../accounts/access/auth";
import { unprocessable } from "../../platform/http/errors";
import { errorResponses, jsonContent, tokenSecurity as security } from "../../platform/http/openapi";
import type { Experience } from "../contract";
import { experienceStore } from "../delivery/service";
import { reportOf } from "../report/read";
import { envelope, IdParams, ReportQuery, ReportSchema } from "../schemas";
import { found, ok, read, tags } from "./answers";

/** Adds the report to the experiences sub-app. */
export function addReportRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/experience/{id}/report",
      tags,
      summary: "Reach, conversions, conversion rate and a daily series per variation",
      description:
        "Counted from the widgets' tracking events (`pf-widget-event`), once per profile; the control group's reach is the visitors held out, and with a `goal` event its goal conversions give each variation's lift. `from`/`to` (`YYYY-MM-DD`) limit the series.",
      security,
      middleware: read,
      request: { params: IdParams, query: ReportQuery },
      responses: {
        200: jsonContent(envelope(ReportSchema), "The report"),
        ...errorResponses(400, 401, 403, 404, 422),
      },
    }),
    async (c) => {
      const account = await accountOfCall(c);
      const id = c.req.param("id");
      const experience: Experience = found(await experienceStore(c.env, account.cid).get(id), id);
      const range: { from?: string; to?: string } = {};
      for (const k of ["from", "to"] as const) {
        const v = c.req.query(k);
        if (v === undefined) continue;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))
          throw unprocessable("invalid date", [{ path: k, message: "a day YYYY-MM-DD" }]);
        range[k] = v;
      }
      if (range.from && range.to && range.from > range.to)
        throw unprocessable("invalid range", [{ path: "to", message: "on or after from" }]);
      if (range.from && range.to && Date.parse(range.to) - Date.parse(range.from) > 366 * 86_400_000)
        throw unprocessable("invalid range", [{ path: "to", message: "at most 366 days after from" }]);
      return ok(c, await reportOf(c.env, account.cid, experience, range));
    },
  );
}
