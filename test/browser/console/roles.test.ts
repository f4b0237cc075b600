import { describe, expect, it } from "vitest";
import { api, useBrowser } from "../harness";
import { signIn } from "./sign-in";

const open = useBrowser();

describe("console: a reader sees audiences, webhooks and content but cannot change them", () => {
  it("hides creating, editing and deleting from a reader token", async () => {
    const made = await api("/v2/segment?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ slug_name: "reader_view", segment_ql: "FILTER visitct > 1" }),
    });
    expect(made.status).toBe(201);
    const token = (
      await (
        await api("/api/token?cid=demo", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "console data reader", role: "reader" }),
        })
      ).json()
    ).data.token as string;
    const { page } = await open();
    await signIn(page, "#audiences", token);
    await page.waitForSelector("td >> text=reader_view");
    expect(await page.locator("text=New audience").count()).toBe(0);
    expect(await page.isDisabled("[aria-label='Browsers see reader_view']")).toBe(true);

    await page.click("text=reader_view");
    await page.waitForSelector("text=Size over time");
    expect(await page.getAttribute("#segql", "readonly")).not.toBeNull();
    expect(await page.isDisabled("[aria-label='Condition 1: field']")).toBe(true);
    expect(await page.locator("text=Add condition").count()).toBe(0);
    expect(await page.locator("button:has-text('Save audience')").count()).toBe(0);
    expect(await page.locator("button:has-text('Delete')").count()).toBe(0);

    await page.evaluate(() => {
      location.hash = "#webhooks";
    });
    await page.waitForSelector("section[aria-label=Subscriptions]");
    expect(await page.locator("text=New subscription").count()).toBe(0);

    await page.evaluate(() => {
      location.hash = "#content";
    });
    await page.waitForSelector("table[aria-label=Documents]");
    expect(await page.locator("text=Edit topics").count()).toBe(0);
  });
});
