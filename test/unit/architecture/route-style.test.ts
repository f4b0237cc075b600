import { describe, expect, it } from "vitest";
import { readTree } from "./import-rules";

/**
 * One way to register routes (#10): every domain's HTTP surface is an
 * OpenAPIHono sub-app built in its `routes.ts` and mounted by edge/app.ts
 * with `app.route()`; operations are `app.openapi(createRoute(...))`, never
 * a bare `registerPath` beside a plain handler, and middleware is route
 * middleware rather than a path glob on the shared app.
 */
function routeStyleProblems(files: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const [path, source] of files) {
    if (!path.startsWith("edge/")) continue;
    if (/openAPIRegistry\s*\.\s*registerPath\s*\(/.test(source))
      problems.push(`${path}: registers a path beside its handler; use app.openapi(createRoute(...), handler)`);
    if (/^edge\/[^/]+\/routes\.ts$/.test(path) && !/new OpenAPIHono</.test(source))
      problems.push(`${path}: a domain's routes.ts builds its OpenAPIHono sub-app`);
  }
  const app = files.get("edge/app.ts") ?? "";
  if (/\bapp\.(use|on)\(\s*["'`]\//.test(app)) problems.push("edge/app.ts: middleware by path glob on the shared app");
  if (/\bregister[A-Z]\w*\(app\)/.test(app.replace("registerDocs(app)", "")))
    problems.push("edge/app.ts: a domain registers itself on the shared app; mount its sub-app with app.route()");
  return problems;
}

describe("route registration", () => {
  it("is one way across the edge", () => {
    expect(routeStyleProblems(readTree(process.cwd()))).toEqual([]);
  });

  it("is reported when broken", () => {
    const bad = new Map([
      ["edge/app.ts", 'app.use("/api/x/*", requireRole("admin"));\nregisterThings(app);'],
      ["edge/things/routes.ts", "export function registerThings(app) { app.get('/x', h); }"],
      ["edge/things/other.ts", "app.openAPIRegistry.registerPath(route);"],
    ]);
    expect(routeStyleProblems(bad)).toEqual([
      "edge/things/routes.ts: a domain's routes.ts builds its OpenAPIHono sub-app",
      "edge/things/other.ts: registers a path beside its handler; use app.openapi(createRoute(...), handler)",
      "edge/app.ts: middleware by path glob on the shared app",
      "edge/app.ts: a domain registers itself on the shared app; mount its sub-app with app.route()",
    ]);
  });
});
