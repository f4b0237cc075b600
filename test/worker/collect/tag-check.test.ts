import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount } from "../helpers";

const check = (cid: string, url: string) => admin(`/api/account/tag-check?cid=${cid}&url=${encodeURIComponent(url)}`);

describe("is the tag installed? (/api/account/tag-check)", () => {
  it("says no for a host that sent nothing, yes once a page on it sent events", async () => {
    const cid = await newAccount({ domains: ["localhost", "shop.example.com"] });
    const before = await check(cid, "https://shop.example.com/pricing");
    expect(before.status).toBe(200);
    expect((await before.json()).data).toEqual({
      host: "shop.example.com",
      installed: false,
      allowed: true,
      first_seen: null,
      last_seen: null,
    });
    const sent = await collect(cid, { _uid: "v1", _e: "pv" }, { origin: "https://shop.example.com" });
    expect(sent.status).toBe(200);
    const after = (await (await check(cid, "shop.example.com/any/page")).json()).data;
    expect(after).toMatchObject({ host: "shop.example.com", installed: true, allowed: true });
    expect(Date.parse(after.last_seen)).toBeGreaterThan(Date.now() - 60_000);
    // Another account's events from the same host say nothing about this one.
    const other = await newAccount({ domains: ["shop.example.com"] });
    expect((await (await check(other, "https://shop.example.com")).json()).data.installed).toBe(false);
  });

  it("a host off the domain list is refused by collect, so it is never 'installed', and says so", async () => {
    const cid = await newAccount({ domains: ["localhost"] });
    const refused = await collect(cid, { _uid: "v2" }, { origin: "https://elsewhere.example.org" });
    expect(refused.status).toBe(403);
    const data = (await (await check(cid, "https://elsewhere.example.org/")).json()).data;
    expect(data).toMatchObject({ installed: false, allowed: false });
  });

  it("reads the page's host from Referer when there is no Origin (legacy pixel)", async () => {
    const cid = await newAccount({ domains: ["localhost", "blog.example.net"] });
    const res = await call(`/c/${cid}?_uid=v3&_e=pv`, { headers: { referer: "https://blog.example.net/post/1" } });
    expect(res.status).toBe(200);
    expect((await (await check(cid, "blog.example.net")).json()).data.installed).toBe(true);
  });

  it("answers 400 for something that is not a web address and 401 without a token", async () => {
    const cid = await newAccount();
    const bad = await check(cid, "ftp://files.example.com");
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].path).toBe("url");
    expect((await call(`/api/account/tag-check?cid=${cid}&url=x.example.com`)).status).toBe(401);
  });
});
