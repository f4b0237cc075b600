import { describe, expect, it } from "vitest";
import { admin, call, collect, newAccount, ORIGIN, personalize } from "../helpers";

describe("GET /personalize", () => {
  it("reflects an event collected just before (read-your-writes)", async () => {
    const cid = await newAccount();
    for (const plan of ["free", "pro", "enterprise"]) {
      await collect(cid, { _uid: "ryw", plan });
      const { body } = await personalize(cid, "ryw");
      expect(body.data.user.plan).toBe(plan);
    }
  });

  it("answers an unknown visitor with the all audience only", async () => {
    const cid = await newAccount();
    const { status, body } = await personalize(cid, "never-seen");
    expect(status).toBe(200);
    expect(body).toEqual({ data: { user: { _uid: "never-seen", segments: ["all"] }, experiences: [] } });
  });

  it("shows surfaced fields only", async () => {
    const cid = await newAccount({ surfaced_fields: ["name"] });
    await collect(cid, { _uid: "s", name: "Bo", ssn: "123" });
    const { body } = await personalize(cid, "s");
    expect(body.data.user.name).toBe("Bo");
    expect(body.data.user.ssn).toBeUndefined();
    expect(body.data.user._uids).toEqual(["s"]);
  });

  it("looks up by field only when the account enables that field", async () => {
    const cid = await newAccount();
    await admin(`/collect/json/crm?cid=${cid}`, "POST", { user_id: "u7", name: "Kim" });
    const refused = await call(`/personalize?cid=${cid}&field=user_id&value=u7`, { headers: { origin: ORIGIN } });
    expect(refused.status).toBe(403);
    await admin(`/api/account?cid=${cid}`, "PUT", { personalize_fields: ["user_id"] });
    const ok = await call(`/personalize?cid=${cid}&field=user_id&value=u7`, { headers: { origin: ORIGIN } });
    expect(ok.status).toBe(200);
    expect((await ok.json()).data.user.name).toBe("Kim");
  });

  it("refuses when public personalization is off, for other origins, and without an id", async () => {
    const cid = await newAccount({ public_personalization: false });
    expect((await personalize(cid, "x")).status).toBe(403);
    const other = await newAccount();
    const evil = await call(`/personalize?cid=${other}&uid=x`, { headers: { origin: "https://evil.test" } });
    expect(evil.status).toBe(403);
    const missing = await call(`/personalize?cid=${other}`, { headers: { origin: ORIGIN } });
    expect(missing.status).toBe(400);
    const noCid = await call(`/personalize?uid=x`);
    expect(noCid.status).toBe(400);
    expect((await noCid.json()).errors[0].path).toBe("cid");
  });

  it("refuses a malformed query before looking the account up: 400 naming the parameter, even for an unknown account", async () => {
    const long = "u".repeat(257);
    for (const cid of [await newAccount(), `nobody${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`]) {
      const res = await call(`/personalize?cid=${cid}&uid=${long}`, { headers: { origin: ORIGIN } });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.message).toBe("the request is not valid");
      expect(body.errors[0].path).toBe("uid");
      // Refused before the allowlist was consulted: no CORS grant on the answer.
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
    }
  });
});

describe("GET /cid/:cid", () => {
  it("creates a cross-domain id once and returns it on later calls", async () => {
    const cid = await newAccount();
    const first = await call(`/cid/${cid}`, { headers: { origin: ORIGIN } });
    expect(first.status).toBe(200);
    const id = (await first.json()).data._uid;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const cookie = first.headers.get("set-cookie")!;
    expect(cookie).toContain("HttpOnly");
    const again = await call(`/cid/${cid}`, { headers: { origin: ORIGIN, cookie: cookie.split(";")[0]! } });
    expect((await again.json()).data._uid).toBe(id);
    expect(first.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("404 for an unknown account", async () => {
    expect((await call(`/cid/nobody-here`)).status).toBe(404);
  });
});

describe("GET /api/tag/:cid/latest.min.js", () => {
  it("serves the tag with the account's defaults", async () => {
    const cid = await newAccount({ tag: { cookie: "site_uid", sessecs: 600 } });
    const res = await call(`/api/tag/${cid}/latest.min.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("javascript");
    const js = await res.text();
    const defaults = JSON.parse(js.slice(js.indexOf("=") + 1, js.indexOf(";\n")));
    expect(defaults).toEqual({ cid, url: "http://pathlight.test", cookie: "site_uid", expires: 365, sessecs: 600 });
    expect(js.length).toBeGreaterThan(2000);
    // V8 honours its compile hint only on the script's first line, above the defaults.
    expect(js.startsWith("//# allFunctionsCalledOnLoad\nvar __plDefaults=")).toBe(true);
    expect(js.split("allFunctionsCalledOnLoad").length).toBe(2);
  });

  it("keeps the path prefix when the worker is routed under the site's domain", async () => {
    const cid = await newAccount();
    // The worker tests run with PATH_PREFIX=/px (vitest.config.mts).
    const js = await (await call(`/px/api/tag/${cid}/latest.js`)).text();
    expect(js).toContain(`"url":"http://pathlight.test/px"`);
    const fp = await call(`/px/c/${cid}`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/json" },
      body: JSON.stringify({ _uid: "fp", plan: "x" }),
    });
    // First party: the edge re-sets the id cookie (readable and HttpOnly copies).
    const cookies = fp.headers.getSetCookie();
    expect(
      cookies.some((c) => c.startsWith("_uid=fp;") && !c.includes("HttpOnly") && c.includes("Max-Age=31536000")),
    ).toBe(true);
    expect(cookies.some((c) => c.startsWith("_uid_h=fp;") && c.includes("HttpOnly"))).toBe(true);
    const thirdParty = await collect(cid, { _uid: "tp" });
    expect(thirdParty.headers.getSetCookie()).toEqual([]);
    expect((await personalize(cid, "fp")).body.data.user.plan).toBe("x");
    // A client cannot fake the prefix header.
    const faked = await (
      await call(`/api/tag/${cid}/latest.js`, { headers: { "x-pathlight-prefix": "/evil" } })
    ).text();
    expect(faked).toContain(`"url":"http://pathlight.test"`);
  });

  it("404 for an unknown account", async () => {
    const res = await call(`/api/tag/ghost/latest.min.js`);
    expect(res.status).toBe(404);
  });
});

describe("browser rate limit", () => {
  it("answers 429 with Retry-After past the account's limit", async () => {
    const cid = await newAccount({ rate_limit_per_second: 3 });
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await personalize(cid, "rl")).status);
    expect(codes.slice(0, 3)).toEqual([200, 200, 200]);
    expect(codes).toContain(429);
    const res = await call(`/personalize?cid=${cid}&uid=rl`, { headers: { origin: ORIGIN } });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("1");
    expect((await res.json()).message).toContain("rate limit");
  });
});
