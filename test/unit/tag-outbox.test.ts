import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { installFakeBrowser, type FakeBrowser } from "./fake-browser";

let browser: FakeBrowser;
async function loadTag() {
  browser = installFakeBrowser({ cookie: "_uid=visitor-1" });
  vi.resetModules();
  const { createTag } = await import("../../tag/tag");
  return createTag({}).init({ cid: "demo", url: "https://edge.example.com", pageAnalysis: false, loadEntity: false });
}
const outboxWrites = () => browser.writes.filter(([k]) => k === "_pl_outbox");
const stored = (): any[] => JSON.parse(browser.storage.get("_pl_outbox") ?? "[]");

beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] }));
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe("tag outbox (in memory while the page is up)", () => {
  it("delivers a batch of sends in one request without writing the stored outbox", async () => {
    const jstag = await loadTag();
    for (let i = 0; i < 5; i++) jstag.send({ step: i });
    await jstag.flush();
    expect(browser.requests).toHaveLength(1);
    expect((browser.requests[0]!.body as any[]).map((e) => e.step)).toEqual([0, 1, 2, 3, 4]);
    expect(outboxWrites()).toEqual([]);
  });

  it("keeps a failed batch in the stored outbox with one write, then a retry delivers and removes it", async () => {
    const jstag = await loadTag();
    browser.collect = "fail";
    jstag.send({ a: 1 });
    jstag.send({ b: 2 });
    await jstag.flush();
    expect(outboxWrites()).toHaveLength(1);
    expect(stored().map((e) => [e.e.a ?? e.e.b, e.a])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    browser.collect = "ok";
    await vi.advanceTimersByTimeAsync(2_000);
    await jstag.flush();
    expect(stored()).toEqual([]);
    const delivered = browser.requests.slice(1).flatMap((r) => r.body as any[]);
    // Each once (their backoffs are jittered apart, so possibly in separate retries).
    expect(delivered.map((e) => e.a ?? e.b).sort()).toEqual([1, 2]);
  });

  it("on pagehide beacons what is queued; what the browser refuses waits in the stored outbox", async () => {
    const jstag = await loadTag();
    const beacons: string[] = [];
    (navigator as any).sendBeacon = (_url: string, body: string) => (beacons.push(body), true);
    jstag.send({ leaving: 1 });
    browser.dispatch("pagehide");
    expect(JSON.parse(beacons[0]!)).toMatchObject([{ leaving: 1 }]);
    expect(outboxWrites()).toEqual([]);

    (navigator as any).sendBeacon = () => false;
    jstag.send({ refused: 1 });
    browser.dispatch("pagehide");
    expect(stored().map((e) => e.e.refused)).toEqual([1]);
  });

  it("builds the automatic page view on pagehide if the browser was never idle, and sends it once", async () => {
    browser = installFakeBrowser({ cookie: "_uid=visitor-1" });
    vi.resetModules();
    const { createTag } = await import("../../tag/tag");
    const jstag = createTag({}).init({ cid: "demo", url: "https://edge.example.com", loadEntity: false });
    const beacons: any[][] = [];
    (navigator as any).sendBeacon = (_url: string, body: string) => {
      beacons.push(JSON.parse(body));
      return true;
    };
    browser.dispatch("pagehide");
    expect(beacons).toHaveLength(1);
    expect(beacons[0]).toMatchObject([{ _e: "pv", url: "www.example.com/shop?utm_source=news", title: "Fake page" }]);
    // Back from the bfcache, the deferred callback runs at last: no second page view.
    await vi.advanceTimersByTimeAsync(5_000);
    await jstag.flush();
    browser.dispatch("pagehide");
    expect([...beacons.flat(), ...browser.requests.flatMap((r) => r.body as any[])]).toHaveLength(1);
  });

  it("keeps sends made while blocked when the page goes away", async () => {
    const jstag = await loadTag();
    jstag.block();
    jstag.send({ held: 1 });
    browser.dispatch("pagehide");
    expect(stored().map((e) => e.e.held)).toEqual([1]);
    expect(browser.requests).toEqual([]);
  });
});
