import { describe, expect, it } from "vitest";
import { openConsolePage, signIn } from "./console";
import { adminToken, api, baseUrl, useBrowser } from "./harness";
import { tagPage } from "./pages";

const open = useBrowser();

describe("Settings (console)", () => {
  it("shows API errors next to the field they name, then saves the domains", async () => {
    const { page } = await open();
    await signIn(page);
    await openConsolePage(page, "settings", "Settings");
    const domains = page.locator("#set-domains");
    await expect.poll(() => domains.inputValue(), { timeout: 15_000 }).toContain("127.0.0.1");
    const before = await domains.inputValue();
    await domains.fill(`${before}\nco.uk`);
    await page.click("button:has-text('Save settings')");
    await expect.poll(() => page.textContent("#set-domains-error"), { timeout: 15_000 }).toContain("public suffix");
    expect(await domains.getAttribute("aria-describedby")).toContain("set-domains-error");
    await domains.fill(`${before}\nhttp://gazette-settings.example`);
    await page.click("button:has-text('Save settings')");
    await expect
      .poll(() => page.textContent("p.notice[role=status]"), { timeout: 15_000 })
      .toContain("Settings saved.");
    const account = (await (await api("/api/account?cid=demo")).json()).data;
    expect(account.domains).toContain("http://gazette-settings.example");
  });

  it("creates a token with role, attribute limit and expiry, shows its secret once, and revokes it", async () => {
    const { page } = await open();
    await signIn(page);
    await openConsolePage(page, "settings", "Settings");
    await page.fill("#tok-name", "Weekly report");
    await page.selectOption("#tok-role", "reader");
    await page.fill("#tok-attrs", "name, plan");
    await page.fill("#tok-expires", "2099-12-31");
    await page.click("button:has-text('Create token')");
    const secretBox = page.locator("input[aria-label='New token secret']");
    await secretBox.waitFor();
    const secret = await secretBox.inputValue();
    expect(secret.length).toBeGreaterThan(20);
    const row = page.locator("table[aria-label='Tokens'] tr", { hasText: "Weekly report" });
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain("name, plan");
    expect(await row.textContent()).toContain("reader");
    // The secret works, with its role.
    const asReader = await fetch(`${baseUrl()}/api/account`, { headers: { authorization: secret } });
    expect(asReader.status).toBe(200);
    // Shown once: after a reload it is nowhere on the page.
    await page.reload();
    await page.waitForSelector("table[aria-label='Tokens']");
    expect(await page.content()).not.toContain(secret);
    // Revoke asks once more, then the token stops working.
    await page.click("button[aria-label='Revoke Weekly report']");
    await page.click("dialog button:has-text('Revoke')");
    await expect
      .poll(() => page.locator("table[aria-label='Tokens'] tr", { hasText: "Weekly report" }).count(), {
        timeout: 15_000,
      })
      .toBe(0);
    expect((await fetch(`${baseUrl()}/api/account`, { headers: { authorization: secret } })).status).toBe(401);
  });

  it("copies the install snippet, lists the GTM steps, and sees the tag arrive on a site", async () => {
    const { context, page } = await open();
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl() });
    // A fresh account, so no other test's events count for its site.
    const cid = `shop${Date.now().toString(36)}`;
    const made = await api("/api/account", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ cid, domains: ["127.0.0.1"] }),
    });
    expect(made.status).toBe(201);
    // The site: pages on the worker's host (a browser will not let a page elsewhere load from loopback).
    const site = baseUrl();
    await signIn(page, adminToken(), cid);
    await openConsolePage(page, "settings", "Settings");
    await expect.poll(() => page.locator("#install-snippet").inputValue(), { timeout: 15_000 }).toContain("jstag.init");
    await page.click("button:has-text('Copy snippet')");
    await expect.poll(() => page.textContent("text=Snippet copied."), { timeout: 15_000 }).toBeTruthy();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`${baseUrl()}/api/tag/${cid}/latest.min.js`);
    expect(copied).toMatch(/^<script>\n!function/);
    expect(await page.textContent("ol.steps")).toContain("Custom HTML");

    const tagCheck = page.locator("section", { has: page.locator("h2", { hasText: "Is the tag installed?" }) });
    await page.fill("#check-url", `${site}/shop/products`);
    await page.click("button:has-text('Check')");
    await expect
      .poll(() => tagCheck.locator("div[role=status]").textContent(), { timeout: 15_000 })
      .toContain("127.0.0.1");

    // A visitor opens a page of that site with the snippet.
    const visitor = await context.newPage();
    const shopPage = tagPage({ title: "Shop", config: { src: `${baseUrl()}/api/tag/${cid}/latest.min.js` } });
    await visitor.route(`${site}/shop/products`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: shopPage }),
    );
    const collected = visitor.waitForResponse((r) => r.url().includes(`/c/${cid}`) && r.status() === 200);
    await visitor.goto(`${site}/shop/products`);
    await collected;

    await expect
      .poll(
        async () => {
          await page.click("button:has-text('Check')");
          return tagCheck.locator("div[role=status]").textContent();
        },
        { timeout: 20_000 },
      )
      .toContain("Installed");
  });
});
