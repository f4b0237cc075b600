import { describe, expect, it } from "vitest";
import { call } from "../helpers";

describe("/docs/ (with a trailing slash)", () => {
  it("redirects permanently to /docs, the API reference", async () => {
    const res = await call("/docs/", { redirect: "manual" });
    expect(res.status).toBe(301);
    expect(new URL(res.headers.get("location") ?? "", "http://pathlight.test/").pathname).toBe("/docs");
    await res.arrayBuffer();
    const page = await call("/docs/");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('src="/docs/swagger-ui-bundle.js"');
  });
});
