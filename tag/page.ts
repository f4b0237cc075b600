/** Strips the protocol from a URL (`https://a.com/x` → `a.com/x`). */
export const noProtocol = (url: string): string => url.replace(/^[a-z]+:\/\//i, "");

type Fields = Record<string, string | number>;
let device: Fields | undefined;
let forHref: string | undefined;
let forPage: Fields = {};

/**
 * The Lytics raw page fields every event carries: url (no protocol),
 * referrer, iframe flag, device, time zone, language, screen size, and the
 * `utm_*` and configured query parameters. The device part is computed once
 * per page, the URL part again only when the URL changes (SPA navigation).
 */
export function pageFields(qsargs: readonly string[]): Fields {
  if (!device) {
    const ua = navigator.userAgent;
    const mobile = /Mobi|Android|iP(hone|od|ad)/i.test(ua);
    device = {
      [mobile ? "_mob" : "_nmob"]: "t",
      _device: /iPad|Tablet/i.test(ua) ? "tablet" : mobile ? "mobile" : "desktop",
      _tz: -new Date().getTimezoneOffset() / 60,
      _ul: navigator.language,
      _sz: `${screen.width}x${screen.height}`,
    };
    if (window.self !== window.top) device._if = "t";
  }
  const href = location.href;
  if (href !== forHref) {
    forHref = href;
    forPage = { url: noProtocol(href.replace(/#.*/, "")) };
    if (document.referrer) forPage._ref = noProtocol(document.referrer);
    if (location.search)
      new URLSearchParams(location.search).forEach((value, key) => {
        if (key.startsWith("utm_") || qsargs.includes(key)) forPage[key] = value;
      });
  }
  return { ...forPage, ...device };
}
