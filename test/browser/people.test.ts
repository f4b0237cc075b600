import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { openConsolePage, signIn } from "./console";
import { api, baseUrl, useBrowser } from "./harness";

const open = useBrowser();

/** Sends events as a browser on the worker's own origin would. */
const collect = (body: unknown) =>
  fetch(`${baseUrl()}/c/demo`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("People (console)", () => {
  it("looks a visitor up and sees audience, experience, timeline and merged identifiers; exports; erases with typed confirmation", async () => {
    const run = Date.now().toString(36);
    const uid = `walker-${run}`;
    const email = `walker-${run}@example.com`;
    const audience = `trail_walkers_${run}`;
    const seg = await api("/v2/segment?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ slug_name: audience, segment_ql: `FILTER walker_run = "${run}" FROM user` }),
    });
    expect(seg.status).toBe(201);
    const created = await api("/api/experience?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: `Trail guide ${run}`,
        tactic: "present_message",
        variations: [{ widget: { layout: "slideout", msg: "Our trail guide" } }],
        targeting: { include: [audience] },
        status: "published",
      }),
    });
    expect(created.status).toBe(201);
    const exp = (await created.json()).data;
    // A visitor reads two pages, qualifies, sees the slideout and clicks it; later signs in on the site's server.
    await collect({ _uid: uid, _e: "pv", url: "hikes.example/trails", walker_run: run });
    await collect({ _uid: uid, _e: "pv", url: "hikes.example/boots" });
    await collect({ _uid: uid, _e: "pf-widget", "pf-widget-id": `${exp.id}-a`, "pf-widget-event": "show" });
    await collect({ _uid: uid, _e: "pf-widget", "pf-widget-id": `${exp.id}-a`, "pf-widget-event": "confirm" });
    await api("/collect/json/crm?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([
        { email, plan: "trail-pro" },
        { email, _uid: uid },
      ]),
    });

    const { page } = await open();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await signIn(page);
    await openConsolePage(page, "people", "People");
    await page.fill("#person-field", "email");
    await page.fill("#person-value", email);
    await page.keyboard.press("Enter");

    const audiences = page.locator("table[aria-label='Audience membership']");
    await expect.poll(() => audiences.textContent(), { timeout: 15_000 }).toContain(audience);
    expect(await audiences.textContent()).toContain("member");
    const experiences = page.locator("table[aria-label='Experiences reached']");
    await expect.poll(() => experiences.textContent(), { timeout: 15_000 }).toContain(`Trail guide ${run}`);
    expect(await experiences.locator("tr", { hasText: `Trail guide ${run}` }).textContent()).toContain("yes");
    const timeline = page.locator("ol[aria-label='Recent events, newest first']");
    expect(await timeline.textContent()).toContain("hikes.example/boots");
    expect(await timeline.locator("li").count()).toBeGreaterThanOrEqual(5);
    expect(await page.locator("ul[aria-label='Merged profiles'] li").count()).toBe(1);
    const fields = page.locator("table[aria-label='Profile fields']");
    expect(await fields.locator("tr", { hasText: "plan" }).first().textContent()).toContain("trail-pro");

    // Export: the download holds what is kept about them.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("button:has-text('Export JSON')")]);
    const exported = readFileSync((await download.path())!, "utf8");
    expect(exported).toContain(email);
    expect(JSON.parse(exported).profile.fields.plan).toBe("trail-pro");

    // Erase: only after typing the identifier exactly.
    await page.click("button:has-text('Erase this person')");
    const confirm = page.locator("dialog button:has-text('Erase permanently')");
    expect(await confirm.isDisabled()).toBe(true);
    await page.fill("dialog #confirm-typed", email.toUpperCase());
    expect(await confirm.isDisabled()).toBe(true);
    await page.fill("dialog #confirm-typed", email);
    expect(await confirm.isEnabled()).toBe(true);
    await confirm.click();
    await expect.poll(() => page.textContent("main"), { timeout: 15_000 }).toContain("Erased 2 profiles");
    expect((await api(`/api/person/email/${encodeURIComponent(email)}?cid=demo`)).status).toBe(404);
    await page.click("button:has-text('Look up')");
    await expect.poll(() => page.textContent("[role=alert]"), { timeout: 15_000 }).toContain("no profile with email");
    expect(errors).toEqual([]);
  });
});

describe("People for a reader token", () => {
  it("shows the person but neither export nor erase", async () => {
    const res = await api("/api/token?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "people reader", role: "reader" }),
    });
    const reader = (await res.json()).data.token as string;
    await collect({ _uid: "reader-sees-1", _e: "pv", url: "hikes.example/reader" });
    const { page } = await open();
    await signIn(page, reader);
    await openConsolePage(page, "people/_uid/reader-sees-1", "People");
    await page.waitForSelector("ol[aria-label='Recent events, newest first']");
    expect(await page.textContent("ol[aria-label='Recent events, newest first']")).toContain("hikes.example/reader");
    expect(await page.locator("button:has-text('Export JSON')").count()).toBe(0);
    expect(await page.locator("button:has-text('Erase this person')").count()).toBe(0);
  });
});
