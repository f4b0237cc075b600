import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../edge/app";

/**
 * The documented API is a user's contract: every path, method, response
 * status and security requirement of `/openapi.json`, compared with a
 * snapshot taken before the routes were reorganised into per-domain
 * sub-apps (#10). Regenerate only for a deliberate API change:
 * `UPDATE_OPENAPI_SNAPSHOT=1 npx vitest run --project unit test/unit/site/openapi-routes.test.ts`.
 */
const SNAPSHOT = fileURLToPath(new URL("./openapi-routes.snapshot.json", import.meta.url));

type Operation = {
  responses?: Record<string, unknown>;
  security?: unknown[];
  parameters?: { name: string; in: string }[];
};

function documentedOperations(): string[] {
  const doc = createApp().getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "0" } });
  const rows: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const codes = Object.keys(op.responses ?? {})
        .sort()
        .join(",");
      const params = (op.parameters ?? [])
        .map((p) => `${p.in}:${p.name}`)
        .sort()
        .join(",");
      rows.push(`${method.toUpperCase()} ${path} [${codes}]${op.security ? " token" : ""} (${params})`);
    }
  }
  return rows.sort();
}

describe("/openapi.json", () => {
  it("documents the same operations as before the route reorganisation", () => {
    const rows = documentedOperations();
    if (process.env.UPDATE_OPENAPI_SNAPSHOT) writeFileSync(SNAPSHOT, `${JSON.stringify(rows, null, 2)}\n`);
    const expected = JSON.parse(readFileSync(SNAPSHOT, "utf8")) as string[];
    expect(rows).toEqual(expected);
  });
});
