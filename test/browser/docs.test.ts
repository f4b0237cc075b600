import { describe, expect, it } from "vitest";
import { adminToken, baseUrl, useBrowser } from "./harness";

const open = useBrowser();

describe("API reference (/docs)", () => {
  it("renders the OpenAPI document with Swagger UI under the console's CSP, Markdown rendered, nothing from elsewhere", async () => {
    const { page } = await open();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    const foreign: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(baseUrl()) && !r.url().startsWith("data:")) foreign.push(r.url());
    });
    const res = await page.goto(`${baseUrl()}/docs`);
    expect(res!.headers()["content-security-policy"]).toContain("script-src 'self'");
    expect(res!.headers()["content-security-policy"]).not.toContain("unsafe");
    await page.waitForSelector(".opblock-tag-section");
    expect(await page.locator(".opblock-tag").count()).toBeGreaterThan(5);
    // The description's backticks render as code, not as raw text.
    await expect
      .poll(() => page.locator(".info .description code").first().textContent(), { timeout: 15_000 })
      .toBe("Authorization");
    expect(await page.locator(".info .description").textContent()).not.toContain("`");
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("tries a request against this server with a token the reader pastes", async () => {
    const { page } = await open();
    await page.goto(`${baseUrl()}/docs`);
    await page.click("button.authorize");
    const dialog = page.locator(".modal-ux");
    await dialog.locator("input").first().fill(adminToken());
    await dialog.locator("button.authorize").first().click();
    await dialog.locator("button.btn-done").first().click();
    const op = page.locator("#operations-Account-get_api_account");
    await op.waitFor();
    if (!(await op.locator(".try-out__btn").isVisible())) await op.locator(".opblock-summary").click();
    await op.locator(".try-out__btn").click();
    await op.locator("input[placeholder='cid']").fill("demo");
    await op.locator("button.execute").click();
    await expect
      .poll(() => op.locator(".live-responses-table tr.response .response-col_status").first().textContent(), {
        timeout: 20_000,
      })
      .toContain("200");
    expect(await op.locator(".live-responses-table .microlight").first().textContent()).toContain('"cid": "demo"');
    // The token lives in the page's memory only.
    expect(
      await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })),
    ).not.toContain(adminToken());
  }, 60_000);
});
