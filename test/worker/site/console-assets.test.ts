import { describe, expect, it } from "vitest";
import { call } from "../helpers";

describe("console assets", () => {
  it("serves every on-demand chunk of the console as JavaScript under the console's policy", async () => {
    const graph = (await (await call("/admin/chunks.json")).json()) as Record<string, { entry: boolean }>;
    const chunks = Object.keys(graph).filter((f) => f.startsWith("chunks/"));
    expect(chunks.some((f) => f.startsWith("chunks/page-"))).toBe(true);
    for (const file of chunks) {
      const res = await call(`/admin/${file}`);
      expect(`${file} ${res.status}`).toBe(`${file} 200`);
      expect(res.headers.get("content-type")).toMatch(/javascript/);
      expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
      await res.arrayBuffer();
    }
  });

  it("lets the console frame only its own pages", async () => {
    const res = await call("/admin");
    expect(res.headers.get("content-security-policy")).toMatch(/frame-src 'self'/);
    await res.arrayBuffer();
  });

  it("serves the preview frame with scripts from its origin only, no network and framable by the console alone", async () => {
    const res = await call("/admin/preview.html");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toMatch(/connect-src 'none'/);
    expect(csp).toMatch(/frame-ancestors 'self'/);
    expect(csp).not.toMatch(/unsafe/);
    const html = await res.text();
    expect(html).toContain('src="/static/pathfora.min.js"');
  });
});
