import { type CookieAttributes, getCookie, removeCookie, setCookie } from "./cookies";

/** A random UUID v4. */
export function uuid(): string {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  const h = [...b].map((x) => (x + 256).toString(16).slice(1)).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The registrable domain of the page (`www.shop.example.co.uk` →
 * `example.co.uk`), found by writing a probe cookie on ever longer suffixes
 * until the browser accepts one. Undefined for hosts without dots.
 */
export function registrableDomain(host = location.hostname): string | undefined {
  const parts = host.split(".");
  // An IP address (digits and dots only) has no registrable domain. (No regular expression: see cookies.ts.)
  if (parts.length < 2 || ![...host].some((c) => c !== "." && (c < "0" || c > "9"))) return undefined;
  for (let i = parts.length - 2; i >= 0; i--) {
    const domain = parts.slice(i).join(".");
    setCookie("_pl_probe", "1", { domain, path: "/" });
    if (getCookie("_pl_probe")) {
      removeCookie("_pl_probe", { domain, path: "/" });
      return domain;
    }
  }
  return undefined;
}

/** Cookie attributes for the tag's cookies. */
export function cookieAttributes(domain: string | undefined, days?: number): CookieAttributes {
  return { domain, expires: days, path: "/", sameSite: "Lax", secure: location.protocol === "https:" };
}
