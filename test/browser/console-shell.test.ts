import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { adminToken, api, baseUrl, useBrowser } from "./harness";

const open = useBrowser();

async function signIn(page: Page, token: string, hash = ""): Promise<void> {
  await page.goto(`${baseUrl()}/admin${hash}`);
  await page.fill("#token", token);
  await page.click("button[type=submit]");
  await page.waitForSelector("header nav");
}

describe("console shell", () => {
  it("removes the loading placeholder, loads each page's code only when it is opened, under the strict CSP", async () => {
    const { page } = await open();
    const chunks: { url: string; type: string }[] = [];
    page.on("response", (r) => {
      if (r.url().includes("/admin/chunks/")) chunks.push({ url: r.url(), type: r.headers()["content-type"] ?? "" });
    });
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    await signIn(page, adminToken(), "#people");
    await page.waitForSelector("text=Find a person");
    expect(await page.locator("text=Loading the console").count()).toBe(0);
    expect(chunks.some((c) => c.url.includes("page-people"))).toBe(true);
    expect(chunks.some((c) => c.url.includes("page-settings"))).toBe(false);

    await page.click("nav >> text=Settings");
    await page.waitForSelector("#set-domains");
    const settings = chunks.find((c) => c.url.includes("page-settings"));
    expect(settings?.type).toMatch(/javascript/);
    expect(await page.getAttribute("nav a[aria-current=page]", "href")).toBe("#settings");
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("keeps the token out of every URL, remembers the tab's sign-in, and signs out", async () => {
    const { page } = await open();
    const urls: string[] = [];
    page.on("request", (r) => urls.push(r.url()));
    await signIn(page, adminToken());
    await page.reload();
    await page.waitForSelector("header nav");
    expect(urls.length).toBeGreaterThan(3);
    expect(urls.filter((u) => u.includes(adminToken()))).toEqual([]);
    expect(await page.evaluate(() => location.href)).not.toContain(adminToken());

    await page.click("text=Sign out");
    await page.waitForSelector("#token");
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it("learns the token's role at sign-in and hides what a reader cannot do", async () => {
    const res = await api("/api/token?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "console reader", role: "reader" }),
    });
    const reader = (await res.json()).data.token as string;
    const { page } = await open();
    await page.goto(`${baseUrl()}/admin#settings`);
    await page.fill("#cid", "some-other-account");
    await page.fill("#token", reader);
    await page.click("button[type=submit]");
    await page.waitForSelector("#set-domains");
    // An account token signs in to its own account, whatever was typed.
    expect(await page.textContent("header .who")).toContain("account demo · reader");
    expect(await page.locator("text=New token").count()).toBe(0);
  });

  it("shows a wrong token's error next to the token field and can be driven with the keyboard", async () => {
    const { page } = await open();
    await page.goto(`${baseUrl()}/admin`);
    await page.focus("#cid");
    await page.keyboard.press("Tab");
    await page.keyboard.type("not-a-token");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#token-error");
    expect(await page.textContent("#token-error")).toContain("not a valid API token");
    expect(await page.getAttribute("#token", "aria-invalid")).toBe("true");
    expect(await page.getAttribute("#token", "aria-describedby")).toContain("token-error");

    await page.fill("#cid", "no-such-account");
    await page.fill("#token", adminToken());
    await page.keyboard.press("Enter");
    await page.waitForSelector("#cid-error");
    expect(await page.textContent("#cid-error")).toContain("no account with this id");
    expect(await page.locator("#token-error").count()).toBe(0);

    await page.fill("#cid", "demo");
    await page.keyboard.press("Enter");
    await page.waitForSelector("header nav");
  });

  it("says so when the hash names no page", async () => {
    const { page } = await open();
    await signIn(page, adminToken(), "#nowhere/at/all");
    expect(await page.textContent("[role=alert]")).toContain("no page named “nowhere”");
  });
});
