import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, useBrowser } from "../harness";
import { collectErrors, signIn } from "./sign-in";

const open = useBrowser();

/** A local webhook receiver: records every request, answers 200. */
const received: { headers: Record<string, string>; body: string }[] = [];
let server: Server;
let receiverUrl = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/crm`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("console: webhooks", () => {
  it("a marketer subscribes a receiver to an audience, keeps the secret, and sees the delivery in the log", async () => {
    const saved = await api("/v2/segment?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Hook fans", slug_name: "hook_fans", segment_ql: 'FILTER plan = "hooked"' }),
    });
    expect(saved.status).toBe(201);
    const { page } = await open();
    const errors = collectErrors(page);
    await signIn(page, "#webhooks");
    await page.click("text=New subscription");
    await page.fill("#wh-name", "CRM sync");
    await page.fill("#wh-url", receiverUrl);
    await page.check("label:has-text('Hook fans') input");
    await page.check("label:has-text('CloudEvents') input");
    await page.click("text=Create subscription");
    await page.waitForSelector("text=Subscription CRM sync created");
    const secret = (await page.textContent("#signing-secret"))!.trim();
    expect(secret).toMatch(/^whsec_/);

    await page.click("text=Open the subscription and its delivery log");
    await page.waitForSelector("section[aria-label='Delivery log'] >> text=No requests yet.");
    expect(await page.$("#signing-secret")).toBeNull(); // shown once only

    await api("/collect/json/crm?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: "hooked-1", plan: "hooked" }),
    });
    await expect
      .poll(
        async () => {
          await page.click("text=Refresh");
          return page.textContent("table[aria-label=Deliveries]").catch(() => "");
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toContain("HTTP 200");
    const row = await page.textContent("tr:has(.delivery-delivered)");
    expect(row).toContain("enter hook_fans");
    expect(row).toMatch(/\d+ ms/);

    // What the receiver got is a CloudEvent, signed with the secret the console showed.
    expect(received).toHaveLength(1);
    const event = new Webhook(secret).verify(received[0]!.body, received[0]!.headers) as Record<string, unknown>;
    expect(event.specversion).toBe("1.0");

    await page.click("text=Pause");
    await page.waitForSelector("dd >> text=paused");
    await page.click("text=Resume");
    await page.waitForSelector("dd >> text=active");

    await page.click("text=Rotate secret…");
    await page.click("dialog button:text-is('Rotate')");
    await page.waitForSelector("text=New signing secret");
    expect((await page.textContent("#signing-secret"))!.trim()).not.toBe(secret);

    await page.click("text=Delete…");
    await page.click("dialog button:text-is('Delete')");
    await page.waitForSelector("section[aria-label=Subscriptions] :is(table, p.muted:not(:text('Loading')))");
    expect(await page.textContent("section[aria-label=Subscriptions]")).not.toContain("CRM sync");
    expect(errors).toEqual([]);
  });

  it("a subscription with backfill shows the backfill's progress until it is done", async () => {
    const saved = await api("/v2/segment?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        name: "Backfill fans",
        slug_name: "backfill_fans",
        segment_ql: 'FILTER plan = "backfilled"',
      }),
    });
    expect(saved.status).toBe(201);
    const id = ((await saved.json()) as { data: { id: string } }).data.id;
    await api("/collect/json/crm?cid=demo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user_id: "backfilled-1", plan: "backfilled" }),
    });
    // The member is in the audience index before the subscription asks for a backfill.
    await expect
      .poll(
        async () => {
          const res = await api(`/v2/segment/${id}/members?cid=demo`);
          return ((await res.json()) as { data: unknown[] }).data.length;
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(1);
    const before = received.length;

    const { page } = await open();
    const errors = collectErrors(page);
    await signIn(page, "#webhooks");
    await page.click("text=New subscription");
    await page.fill("#wh-name", "Backfill sync");
    await page.fill("#wh-url", receiverUrl);
    await page.check("label:has-text('Backfill fans') input");
    await page.check("label:has-text('Send every current member first') input");
    await page.click("text=Create subscription");
    await page.waitForSelector("text=Subscription Backfill sync created");
    await page.click("text=Open the subscription and its delivery log");

    const backfill = "section[aria-label=Backfill]";
    await page.waitForSelector(`${backfill} >> text=Members sent — done: 1 of 1 members`, { timeout: 20_000 });
    expect(await page.$(`${backfill} progress`)).toBeNull();
    await expect.poll(() => received.length, { timeout: 20_000, interval: 500 }).toBe(before + 1);
    expect(received[before]!.body).toContain("backfill_fans");

    await page.click("text=Delete…");
    await page.click("dialog button:text-is('Delete')");
    await page.waitForSelector("section[aria-label=Subscriptions] :is(table, p.muted:not(:text('Loading')))");
    expect(errors).toEqual([]);
  }, 60_000);
});
