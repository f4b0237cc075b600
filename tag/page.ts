/** Strips the protocol from a URL (`https://a.com/x` → `a.com/x`). */
export const noProtocol = (url: string): string => url.replace(/^[a-z]+:\/\//i, "");

/**
 * The Lytics raw page fields every event carries: url (no protocol),
 * referrer, iframe flag, device, time zone, language, screen size, and the
 * `utm_*` and configured query parameters.
 */
export function pageFields(qsargs: readonly string[]): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  const mobile = /Mobi|Android|iP(hone|od|ad)/i.test(navigator.userAgent);
  out.url = noProtocol(location.href.replace(/#.*/, ""));
  if (document.referrer) out._ref = noProtocol(document.referrer);
  if (window.self !== window.top) out._if = "t";
  out[mobile ? "_mob" : "_nmob"] = "t";
  out._device = /iPad|Tablet/i.test(navigator.userAgent) ? "tablet" : mobile ? "mobile" : "desktop";
  out._tz = -new Date().getTimezoneOffset() / 60;
  out._ul = navigator.language;
  out._sz = `${screen.width}x${screen.height}`;
  new URLSearchParams(location.search).forEach((value, key) => {
    if (key.startsWith("utm_") || qsargs.includes(key)) out[key] = value;
  });
  return out;
}
