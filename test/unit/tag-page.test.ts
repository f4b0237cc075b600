import { afterEach, describe, expect, it, vi } from "vitest";

// Lytics' rules for the device fields and the URL, written as the regular expressions they were in the tag. The
// tag now tests them without regular expressions (cheaper on load): every case must come out the same.
const lytics = (ua: string) => {
  const mobile = /Mobi|Android|iP(hone|od|ad)/i.test(ua);
  return {
    [mobile ? "_mob" : "_nmob"]: "t",
    _device: /iPad|Tablet/i.test(ua) ? "tablet" : mobile ? "mobile" : "desktop",
  };
};
const lyticsNoProtocol = (url: string) => url.replace(/^[a-z]+:\/\//i, "");

const agents = [
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPad; CPU OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (iPod touch; CPU iPhone OS 12_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Tablet PC 2.0) like Gecko",
  "Mozilla/5.0 (Android 14; Tablet; rv:133.0) Gecko/133.0 Firefox/133.0",
  "Mozilla/5.0 (Mobile; rv:48.0) Gecko/48.0 Firefox/48.0 KAIOS/2.5",
  "MOZILLA/5.0 (IPHONE; CPU IPHONE OS 18_1 LIKE MAC OS X) MOBILE",
  "curl/8.5.0",
  "",
];

/** The tag's page fields on a page at `href` seen by a browser with user agent `ua`. */
async function fieldsOf(ua: string, href = "https://www.example.com/shop", referrer = "") {
  vi.resetModules();
  vi.stubGlobal("navigator", { userAgent: ua, language: "de-CH" });
  vi.stubGlobal("screen", { width: 390, height: 844 });
  vi.stubGlobal("location", new URL(href));
  vi.stubGlobal("document", { referrer });
  const w = {} as Record<string, unknown>;
  w.self = w.top = w;
  vi.stubGlobal("window", w);
  const { pageFields } = await import("../../tag/page");
  return pageFields([]);
}
afterEach(() => vi.unstubAllGlobals());

describe("tag page fields", () => {
  it.each(agents)("device fields follow Lytics' rules for %j", async (ua) => {
    const fields = await fieldsOf(ua);
    expect({ _mob: fields._mob, _nmob: fields._nmob, _device: fields._device }).toEqual({
      _mob: undefined,
      _nmob: undefined,
      ...lytics(ua),
    });
    expect(fields).toMatchObject({ _ul: "de-CH", _sz: "390x844" });
  });

  it("url: without protocol and fragment; referrer without protocol", async () => {
    const fields = await fieldsOf(
      "x",
      "https://www.example.com/a/b?utm_source=news&x=1#top#again",
      "http://search.example/?q=a://b",
    );
    expect(fields.url).toBe("www.example.com/a/b?utm_source=news&x=1");
    expect(fields._ref).toBe("search.example/?q=a://b");
    expect(fields.utm_source).toBe("news");
  });

  it("strips a protocol exactly as Lytics' pattern does", async () => {
    const { noProtocol } = await import("../../tag/page");
    for (const url of [
      "https://a.com/x",
      "HTTP://A.COM/x",
      "android-app://com.example.app/",
      "a1b://x",
      "://x",
      "no protocol here",
      "x:y://z",
      "mailto:someone@example.com",
      "ftp://a://b",
      "",
    ])
      expect(noProtocol(url), url).toBe(lyticsNoProtocol(url));
  });
});
