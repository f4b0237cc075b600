import { describe, expect, it } from "vitest";
import { adminToken, baseUrl, useBrowser } from "./harness";

const open = useBrowser();

describe("console (/admin)", () => {
  it("signs in, creates an audience from SegmentQL, shows syntax errors with line and column, finds a profile", async () => {
    const { page } = await open();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    const res = await page.goto(`${baseUrl()}/admin`);
    expect(res!.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.fill("#token", "wrong");
    await page.click("button[type=submit]");
    await expect.poll(() => page.textContent("[role=alert]")).toContain("not valid");
    await page.fill("#token", adminToken());
    await page.click("button[type=submit]");
    await page.click("nav >> text=Audiences");
    await page.waitForSelector("text=All audiences");
    // The "Loading the console…" placeholder is gone once the console shows.
    expect(await page.locator("text=Loading the console").count()).toBe(0);

    await page.click("text=New audience");
    await page.fill("#segql", 'FILTER AND (\n  plan = "gold",\n  visitct >>= 2\n) ALIAS gold_members');
    await expect.poll(() => page.textContent(".sql-problem")).toMatch(/Line 3, column \d+/);

    await page.fill("#segql", 'FILTER plan = "gold" FROM user ALIAS gold_members');
    await page.waitForSelector("text=Valid SegmentQL.");
    expect(await page.inputValue("#aud-slug")).toBe("gold_members");
    await page.click("text=Create audience");
    await expect.poll(() => page.textContent("[role=status]")).toContain("gold_members created");
    await page.click("text=← All audiences");
    await page.waitForSelector("td >> text=gold_members");

    await page.click("nav >> text=People");
    await fetch(`${baseUrl()}/collect/json/crm?cid=demo`, {
      method: "POST",
      headers: { authorization: adminToken(), "content-type": "application/json" },
      body: JSON.stringify({ user_id: "console-1", plan: "gold" }),
    });
    await page.fill("#person-field", "user_id");
    await page.fill("#person-value", "console-1");
    await page.click("button:has-text('Look up')");
    await expect.poll(() => page.textContent("table[aria-label='Audience membership']")).toContain("gold_members");
    expect(errors).toEqual([]);
  });
});
