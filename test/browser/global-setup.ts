import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM script shared with `npm start`
import { freePort, startWrangler, seedAccount } from "../../scripts/dev-server.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    adminToken: string;
  }
}

/** Starts one `wrangler dev` for the browser suite with its own state dir. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "pathlight-browser-"));
  const adminToken = "browser-admin-token";
  const port = await freePort();
  const server = await startWrangler({
    port,
    persistTo: join(dir, "state"),
    vars: { ADMIN_TOKEN: adminToken, PATHLIGHT_ENV: "development" },
    env: { ...process.env, XDG_CONFIG_HOME: join(dir, "config"), WRANGLER_SEND_METRICS: "false" },
    quiet: true,
  });
  await seedAccount(server.url, adminToken, {
    cid: "demo",
    name: "Demo",
    domains: ["localhost", "127.0.0.1"],
    public_personalization: true,
    surfaced_fields: ["name", "plan"],
  });
  project.provide("baseUrl", server.url);
  project.provide("adminToken", adminToken);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
