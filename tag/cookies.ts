/**
 * The tag's cookies, written and read as js-cookie 3 does (the library the
 * tag used before), so ids written by earlier versions read back unchanged:
 * values are percent-encoded except for the characters cookies allow, and
 * every `%XX` run is decoded on read. One `document.cookie` read serves
 * every cookie the caller looks up in it.
 */

/** Cookie attributes the tag writes. */
export interface CookieAttributes {
  domain?: string;
  /** Lifetime in days; a session cookie when absent, expired when negative. */
  expires?: number;
  path?: string;
  sameSite?: string;
  secure?: boolean;
}

// The regular expressions run only when there is something to (de|en)code: the first one a page runs costs
// V8 a few tenths of a millisecond to set up, and the ids the tag writes are plain.
const decode = (s: string): string => {
  if (!s.includes("%")) return s;
  try {
    return s.replace(/(%[\dA-F]{2})+/gi, decodeURIComponent);
  } catch {
    return s;
  }
};

/** The value of cookie `name` in `jar` (default: a fresh read of `document.cookie`). */
export function getCookie(name: string, jar: string = document.cookie): string | undefined {
  for (const pair of jar ? jar.split("; ") : []) {
    const at = pair.indexOf("=");
    if (decode(pair.slice(0, at)) !== name) continue;
    const value = pair.slice(at + 1);
    return decode(value[0] === '"' ? value.slice(1, -1) : value);
  }
  return undefined;
}

/** Writes cookie `name`. */
export function setCookie(name: string, value: string, attrs: CookieAttributes = {}): void {
  let key = encodeURIComponent(name);
  if (key.includes("%")) key = key.replace(/%(2[346B]|5E|60|7C)/g, decodeURIComponent);
  if (key.includes("(") || key.includes(")")) key = key.replace(/[()]/g, escape);
  let text = encodeURIComponent(value);
  if (text.includes("%")) text = text.replace(/%(2[346BF]|3[AC-F]|40|5[BDE]|60|7[BCD])/g, decodeURIComponent);
  let line = `${key}=${text}`;
  const { path, domain, expires, sameSite, secure } = attrs;
  if (path) line += `; path=${path}`;
  if (domain) line += `; domain=${domain}`;
  if (expires !== undefined) line += `; expires=${new Date(Date.now() + expires * 864e5).toUTCString()}`;
  if (sameSite) line += `; sameSite=${sameSite}`;
  if (secure) line += "; secure";
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is async and missing in Safari and Firefox before 2025.
  document.cookie = line;
}

/** Removes cookie `name` (the same path and domain it was written with). */
export const removeCookie = (name: string, attrs: CookieAttributes = {}): void =>
  setCookie(name, "", { ...attrs, expires: -1 });
