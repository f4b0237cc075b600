// `npm start`: runs everything locally. Starts the worker under `wrangler
// dev` (local Durable Object storage in .wrangler/state), seeds the demo
// account and prints the URLs and the admin token.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { seedAccount, seedExperiences, startWrangler } from "./dev-server.mjs";

const port = Number(process.env.PORT ?? 8787);

function adminToken() {
  const existing = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : "";
  const match = existing.match(/^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?/m);
  if (match) return match[1];
  const token = `pl_root_${randomBytes(24).toString("base64url")}`;
  writeFileSync(".dev.vars", `${existing}${existing && !existing.endsWith("\n") ? "\n" : ""}ADMIN_TOKEN="${token}"\n`);
  console.log("Generated a new ADMIN_TOKEN into .dev.vars");
  return token;
}

const token = adminToken();
const server = await startWrangler({ port, persistTo: ".wrangler/state", vars: { PATHLIGHT_ENV: "development" } });
await seedAccount(server.url, token, {
  cid: "demo",
  name: "Demo",
  domains: ["localhost", "127.0.0.1"],
  public_personalization: true,
  surfaced_fields: ["name", "favorite_topic", "plan", "visitct", "last_visit"],
});
await seedExperiences(server.url, token, "demo");

console.log(`
  Pathlight is running.

  Demo site      ${server.url}/demo/
  Console        ${server.url}/admin   (sign in with account "demo" and the admin token)
  API reference  ${server.url}/docs   (OpenAPI: ${server.url}/openapi.json)
  Tag            ${server.url}/api/tag/demo/latest.min.js
  Account        demo
  Admin token    ${token}

  Try:  curl -H "Authorization: ${token}" "${server.url}/api/account?cid=demo"
  Stop with Ctrl-C.
`);

for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.stop().then(() => process.exit(0)));
server.child.on("exit", (code) => process.exit(code ?? 0));
