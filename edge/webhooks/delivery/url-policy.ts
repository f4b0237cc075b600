/**
 * Which webhook targets a subscription may have. In production a target
 * must be `https` and must not name a loopback, link-local, private or
 * otherwise non-public address (or a name reserved for local networks);
 * in development mode anything http(s) goes, so a receiver on your
 * machine works. Host names are checked as written: a public name that
 * resolves to a private address is not caught here (Workers cannot reach
 * private networks anyway).
 */

/** The outcome of checking a webhook URL. */
export type UrlVerdict = { ok: true; url: string } | { ok: false; reason: string };

/** Names reserved for local use. */
const LOCAL_NAMES = /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/i;

function ipv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts : null;
}

/** True for IPv4 addresses that are not public unicast. */
export function privateIPv4([a, b]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    a >= 224 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) ||
    (a === 198 && (b === 18 || b === 19))
  );
}

/** Expands an IPv6 literal (without brackets) to eight 16-bit groups; null if it is not one. */
function ipv6Groups(host: string): number[] | null {
  let text = host.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const p = ipv4(v4[1]!);
    if (!p) return null;
    text =
      text.slice(0, -v4[1]!.length) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if (fill < 0 || (halves.length === 1 && head.length !== 8)) return null;
  const groups = [...head, ...Array<string>(fill).fill("0"), ...tail].map((g) =>
    /^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN,
  );
  return groups.length === 8 && groups.every((g) => !Number.isNaN(g)) ? groups : null;
}

/**
 * True for IPv6 addresses that are not public unicast: loopback, unspecified, ULA, link-local, site-local,
 * multicast, Teredo, documentation, and every form embedding a private IPv4 address (mapped, translated,
 * compatible, 6to4, NAT64).
 */
export function privateIPv6(groups: number[]): boolean {
  const [g0] = groups as [number];
  if (groups.slice(0, 7).every((g) => g === 0) && groups[7]! <= 1) return true; // :: and ::1
  if ((g0 & 0xfe00) === 0xfc00) return true; // fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return true; // fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return true; // fec0::/10, deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  if (g0 === 0x2001 && (groups[1] === 0 || groups[1] === 0xdb8)) return true; // Teredo (hides its IPv4), documentation
  if (g0 === 0x64 && groups[1] === 0xff9b && groups[2] === 1) return true; // 64:ff9b:1::/48, local-use NAT64
  const embedded = (hi: number, lo: number) => privateIPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
  if (g0 === 0x2002) return embedded(groups[1]!, groups[2]!); // 6to4 carries an IPv4 address
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  const translated = groups.slice(0, 4).every((g) => g === 0) && groups[4] === 0xffff && groups[5] === 0;
  const compatible = groups.slice(0, 6).every((g) => g === 0); // ::a.b.c.d (deprecated IPv4-compatible)
  const nat64 = g0 === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0);
  if (mapped || translated || compatible || nat64) return embedded(groups[6]!, groups[7]!);
  return false;
}

/**
 * Checks a webhook target. `development` allows http and any host (a local
 * receiver); otherwise only https to a public host.
 */
export function checkWebhookUrl(raw: string, options: { development: boolean }): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid absolute URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "the URL must be http(s)" };
  if (url.username || url.password)
    return { ok: false, reason: "credentials in the URL are not allowed; send them in headers" };
  if (options.development) return { ok: true, url: url.href };
  if (url.protocol !== "https:")
    return { ok: false, reason: "the URL must use https (plain http is allowed only in development mode)" };
  const host = url.hostname.replace(/\.$/, "");
  if (host.startsWith("[")) {
    const groups = ipv6Groups(host.slice(1, -1));
    if (!groups || privateIPv6(groups)) return { ok: false, reason: `${host} is not a public address` };
    return { ok: true, url: url.href };
  }
  const v4 = ipv4(host);
  if (v4)
    return privateIPv4(v4)
      ? { ok: false, reason: `${host} is a loopback, link-local or private address` }
      : { ok: true, url: url.href };
  if (!host.includes(".") || LOCAL_NAMES.test(host))
    return { ok: false, reason: `${host} is a local name, not a public host` };
  return { ok: true, url: url.href };
}
