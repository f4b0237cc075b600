// A minimal browser for running the tag's modules in Node: a cookie jar
// behind document.cookie, a counting localStorage, location, navigator,
// screen, timers and a scripted fetch. Each call installs a fresh one; load
// the tag with `await import(...)` after `vi.resetModules()` so its
// module-level state starts clean too.
import { vi } from "vitest";

export interface FakeBrowser {
  /** Cookies by name (what document.cookie holds). */
  cookies: Map<string, string>;
  /** localStorage contents. */
  storage: Map<string, string>;
  /** Every localStorage.setItem call, in order, as [key, value]. */
  writes: [string, string][];
  /** Collect requests sent with fetch: URL and parsed body. */
  requests: { url: string; body: unknown }[];
  /** Answer of the next collect fetches: "ok" or "fail" (network error). */
  collect: "ok" | "fail";
  /** Dispatches a window event (pagehide, online) to the tag's listeners. */
  dispatch(type: string): void;
}

export function installFakeBrowser(opts: { cookie?: string; href?: string } = {}): FakeBrowser {
  const cookies = new Map<string, string>();
  for (const pair of (opts.cookie ?? "").split(/;\s*/).filter(Boolean)) {
    const at = pair.indexOf("=");
    cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const storage = new Map<string, string>();
  const listeners = new Map<string, ((e: unknown) => void)[]>();
  const fake: FakeBrowser = {
    cookies,
    storage,
    writes: [],
    requests: [],
    collect: "ok",
    dispatch(type) {
      for (const fn of listeners.get(type) ?? []) fn({ type });
    },
  };
  const url = new URL(opts.href ?? "https://www.example.com/shop?utm_source=news");
  const document = {
    get cookie() {
      return [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    },
    set cookie(line: string) {
      const [pair, ...attrs] = line.split(/;\s*/);
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at);
      const expires = attrs.find((a) => /^expires=/i.test(a));
      if (expires && new Date(expires.slice(8)).getTime() < Date.now()) cookies.delete(name);
      else cookies.set(name, pair!.slice(at + 1));
    },
    referrer: "",
    title: "Fake page",
    // A page with an empty <head>: no canonical link, no meta tags.
    querySelector: () => null,
    querySelectorAll: () => [],
  };
  const localStorage = {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => {
      fake.writes.push([k, v]);
      storage.set(k, String(v));
    },
    removeItem: (k: string) => storage.delete(k),
  };
  const win: Record<string, unknown> = {
    localStorage,
    addEventListener: (type: string, fn: (e: unknown) => void) =>
      listeners.set(type, [...(listeners.get(type) ?? []), fn]),
  };
  win.self = win.top = win;
  vi.stubGlobal("window", win);
  vi.stubGlobal("document", document);
  vi.stubGlobal("localStorage", localStorage);
  vi.stubGlobal("addEventListener", win.addEventListener);
  vi.stubGlobal("location", url);
  vi.stubGlobal("navigator", { userAgent: "Mozilla/5.0 (X11; Linux x86_64)", language: "en-GB" });
  vi.stubGlobal("screen", { width: 1920, height: 1080 });
  vi.stubGlobal("requestIdleCallback", undefined);
  vi.stubGlobal("fetch", async (input: string, init?: { body?: string }) => {
    if (input.includes("/personalize"))
      return new Response(JSON.stringify({ data: { user: { segments: ["all"] }, experiences: [] } }));
    fake.requests.push({ url: input, body: init?.body ? JSON.parse(init.body) : undefined });
    if (fake.collect === "fail") throw new TypeError("Failed to fetch");
    return new Response("{}");
  });
  return fake;
}
