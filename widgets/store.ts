/**
 * Visitor state in Web Storage under Pathfora's key names and record format
 * (`{"$": value, "@": expiry}` in localStorage), so a visitor's history
 * carries over from Pathfora. Counters are stored as `count|epochMs`.
 * Blocked storage (Safari private mode, disabled cookies) reads as empty.
 */

/** Reads a value written by Pathfora or by us; expired records are removed. */
export function read(key: string): string | null {
  try {
    const raw = localStorage.getItem(key);
    const rec = raw?.[0] == "{" && JSON.parse(raw);
    return !rec?.["@"]
      ? raw
      : Date.parse(rec["@"]) < Date.now()
        ? (localStorage.removeItem(key), null)
        : "$" in rec
          ? "" + rec.$
          : raw;
  } catch {
    return null;
  }
}

/** Writes a value until `expires` (Pathfora's default: a year). */
export function write(key: string, value: unknown, expires?: Date): void {
  try {
    localStorage.setItem(
      key,
      JSON.stringify({ $: "" + value, "@": expires || new Date(Date.now() + 3e10), PATHFORA: "1.2.20" }),
    );
  } catch {}
}

/** `decodeURIComponent`, or the text itself when it is not valid. */
const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

const escapeRegex = (s: string): string => s.replace(/[\\^$*+?.()|[\]{}]/g, "\\$&");

/** A cookie's decoded value (its name encoded or not, as Pathfora reads it), or null. */
export const readCookie = (name: string): string | null => {
  const m =
    document.cookie.match("(^|;)\\s*" + escapeRegex(encodeURIComponent(name)) + "\\s*=\\s*([^;]+)") ||
    document.cookie.match("(^|;)\\s*" + escapeRegex(name) + "\\s*=\\s*([^;]+)");
  return m ? decode(m[2]!) : null;
};

/** Sets a cookie for the whole site, until `expires` (a session cookie without). */
export const saveCookie = (name: string, value: string, expires?: Date): void =>
  void (document.cookie =
    encodeURIComponent(name) +
    "=" +
    encodeURIComponent(value) +
    "; expires=" +
    (expires ? expires.toUTCString() : 0) +
    "; path=/");

/** A `count|epochMs` record as numbers (0 when absent). */
export const counter = (v: string | null): [count: number, at: number] => {
  const [n, t] = (v || "").split("|");
  return [parseInt(n!) || 0, +t! || 0];
};

/** Increments a `count|epochMs` counter (capped like Pathfora's); returns the new count. */
export const bump = (key: string, at = Date.now()): void =>
  write(key, Math.min(counter(read(key))[0], 9998) + 1 + "|" + at);

/** Every key of a storage area that starts with `prefix`. */
export const keys = (area: "localStorage" | "sessionStorage", prefix: string): string[] => {
  try {
    return Object.keys(window[area]).filter((k) => k.startsWith(prefix));
  } catch {
    return [];
  }
};

/** A sessionStorage counter; `add` increments it. Blocked storage counts 0. */
export const sessionCount = (k: string, add?: 1): number => {
  try {
    const n = (parseInt(sessionStorage.getItem(k)!) || 0) + (add || 0);
    if (add) sessionStorage.setItem(k, "" + n);
    return n;
  } catch {
    return 0;
  }
};
