import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { installFakeBrowser, type FakeBrowser } from "./fake-browser";

let browser: FakeBrowser;
/** A fresh tag module (its module state included) on the fake browser; returns window.jstag after init. */
async function loadTag(config: Record<string, unknown> = {}, cookie?: string) {
  browser = installFakeBrowser({ cookie });
  vi.resetModules();
  const { createTag } = await import("../../tag/tag");
  const jstag = createTag({});
  const beforeInit = jstag.isLoaded;
  jstag.init({ cid: "demo", url: "https://edge.example.com", pageAnalysis: false, loadEntity: false, ...config });
  return { jstag, beforeInit };
}

beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] }));
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("returning Lytics visitors (seerid)", () => {
  it("adopts the seerid cookie's id as _uid when the visitor has no Pathlight id", async () => {
    const { jstag } = await loadTag({}, "seerid=4f0c1c2e-lytics-visitor; other=1");
    expect(jstag.getid()).toBe("4f0c1c2e-lytics-visitor");
    expect(browser.cookies.get("_uid")).toBe("4f0c1c2e-lytics-visitor");
    const event = jstag.mock({ name: "Jon" });
    expect(event).toMatchObject({ _uid: "4f0c1c2e-lytics-visitor", name: "Jon" });
    // Not a new visitor: Lytics already knew them.
    expect(event).not.toHaveProperty("_getid");
    expect(event).not.toHaveProperty("_uido");
  });

  it("keeps the Pathlight id when the visitor has both cookies", async () => {
    const { jstag } = await loadTag({}, "_uid=pathlight-id; seerid=lytics-id");
    expect(jstag.getid()).toBe("pathlight-id");
    expect(browser.cookies.get("_uid")).toBe("pathlight-id");
  });

  it("adopts the cookie named by adoptCookie, or none when it is empty", async () => {
    const named = await loadTag({ adoptCookie: "ly_visitor" }, "ly_visitor=from-custom-cookie; seerid=ignored");
    expect(named.jstag.getid()).toBe("from-custom-cookie");
    const off = await loadTag({ adoptCookie: "" }, "seerid=lytics-id");
    expect(off.jstag.getid()).not.toBe("lytics-id");
    expect(off.jstag.getid()).toMatch(/^[0-9a-f-]{36}$/);
    expect(off.jstag.mock({})._getid).toBe("t");
  });

  it('with cookie: "seerid" (a Lytics config kept as it was) uses the Lytics cookie itself', async () => {
    const { jstag } = await loadTag({ cookie: "seerid" }, "seerid=lytics-id");
    expect(jstag.getid()).toBe("lytics-id");
    expect(browser.cookies.has("_uid")).toBe(false);
  });

  it("a new visitor without any cookie gets a fresh id", async () => {
    const { jstag } = await loadTag();
    expect(jstag.getid()).toMatch(/^[0-9a-f-]{36}$/);
    expect(browser.cookies.get("_uid")).toBe(jstag.getid());
  });
});

describe("installation check (Lytics' verify steps)", () => {
  it("jstag.config.version is the tag's version and jstag.isLoaded turns true on init", async () => {
    const { jstag, beforeInit } = await loadTag();
    expect(beforeInit).toBe(false);
    expect(jstag.isLoaded).toBe(true);
    expect(jstag.config.version).toMatch(/^3\.\d+\.\d+/);
  });
});

describe("cookie domain", () => {
  it("an IP address host has no registrable domain and writes no probe cookie; a named host does", async () => {
    browser = installFakeBrowser();
    const { registrableDomain } = await import("../../tag/identity");
    for (const host of ["127.0.0.1", "10.0.0.1", "192.168.1.200"]) {
      expect(registrableDomain(host), host).toBeUndefined();
      expect(browser.cookies.size).toBe(0);
    }
    const probes: string[] = [];
    const jar = Object.getOwnPropertyDescriptor(document, "cookie")!;
    Object.defineProperty(document, "cookie", {
      get: jar.get,
      set(line: string) {
        probes.push(line);
        jar.set!.call(document, line);
      },
    });
    expect(registrableDomain("1.2.3.example")).toBe("3.example");
    expect(registrableDomain("www.shop.example")).toBe("shop.example");
    expect(probes.some((l) => l.includes("domain=3.example"))).toBe(true);
  });
});
