import type { OpenAPIHono } from "@hono/zod-openapi";
import { html, raw } from "hono/html";
import type { AppEnv } from "../accounts/app-env";

const INFO = {
  openapi: "3.1.0",
  info: {
    title: "Pathlight API",
    version: "0.1.0",
    description:
      "Real-time personalization on Cloudflare's edge. Browser endpoints need no token and answer only the account's allowed domains; management endpoints take a token in `Authorization` (or `?key=`). Errors are `{status, message, errors}`.",
  },
};

type Operation = { summary?: string; description?: string; tags?: string[]; security?: unknown[] };

/** `/openapi.json` and `/docs` (a self-contained page: no CDN, no scripts). */
export function registerDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "token", {
    type: "apiKey",
    in: "header",
    name: "Authorization",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "key", { type: "apiKey", in: "query", name: "key" });
  const document = () => app.getOpenAPI31Document(INFO);
  app.get("/openapi.json", (c) => c.json(document()));
  app.get("/docs", (c) => {
    const doc = document();
    const rows: { tag: string; method: string; path: string; op: Operation }[] = [];
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
        rows.push({ tag: op.tags?.[0] ?? "Other", method: method.toUpperCase(), path, op });
      }
    }
    rows.sort((a, b) => a.tag.localeCompare(b.tag) || a.path.localeCompare(b.path));
    const tags = [...new Set(rows.map((r) => r.tag))];
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    return c.html(html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pathlight API</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .25em}
.op{border:1px solid #ddd;border-radius:6px;padding:.5rem .75rem;margin:.5rem 0}.m{display:inline-block;min-width:4.5em;font-weight:700}.lock{color:#a60}</style></head>
<body><h1>Pathlight API</h1><p>${INFO.info.description}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p>
${raw(
  tags
    .map(
      (tag) =>
        html`<h2>${tag}</h2>${raw(
          rows
            .filter((r) => r.tag === tag)
            .map(
              (r) =>
                html`<div class="op"><span class="m">${r.method}</span><code>${r.path}</code> ${r.op.security ? html`<span class="lock">token</span>` : ""}<div>${r.op.summary ?? ""}</div>${r.op.description ? html`<div><small>${r.op.description}</small></div>` : ""}</div>`,
            )
            .join(""),
        )}`,
    )
    .join(""),
)}
</body></html>`);
  });
}
