/**
 * Strips the protocol from a URL (`https://a.com/x` → `a.com/x`): a scheme of
 * ASCII letters followed by `://`. (No regular expression: the first one a
 * page runs costs V8 a few tenths of a millisecond to set up, a
 * case-insensitive one as much again; this file runs on every page load.)
 */
export function noProtocol(url: string): string {
  const at = url.indexOf("://");
  for (let i = 0; i < at; i++) {
    const c = url.charCodeAt(i) | 32;
    if (c < 97 || c > 122) return url;
  }
  return at > 0 ? url.slice(at + 3) : url;
}

/** `url` without its fragment (`#…`). */
const noHash = (url: string): string => {
  const at = url.indexOf("#");
  return at < 0 ? url : url.slice(0, at);
};

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
    // User agents are ASCII: lower-cased, plain substring tests match as /Mobi|Android|iP(hone|od|ad)/i and /iPad|Tablet/i.
    const ua = navigator.userAgent.toLowerCase();
    const has = (s: string) => ua.includes(s);
    const ipad = has("ipad");
    const mobile = ipad || has("mobi") || has("android") || has("iphone") || has("ipod");
    device = {
      [mobile ? "_mob" : "_nmob"]: "t",
      _device: ipad || has("tablet") ? "tablet" : mobile ? "mobile" : "desktop",
      _tz: -new Date().getTimezoneOffset() / 60,
      _ul: navigator.language,
      _sz: `${screen.width}x${screen.height}`,
    };
    if (window.self !== window.top) device._if = "t";
  }
  const href = location.href;
  if (href !== forHref) {
    forHref = href;
    forPage = { url: noProtocol(noHash(href)) };
    if (document.referrer) forPage._ref = noProtocol(document.referrer);
    if (location.search)
      new URLSearchParams(location.search).forEach((value, key) => {
        if (key.startsWith("utm_") || qsargs.includes(key)) forPage[key] = value;
      });
  }
  return { ...forPage, ...device };
}
