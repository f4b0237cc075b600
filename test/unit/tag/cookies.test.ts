import Cookies from "js-cookie";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { getCookie, removeCookie, setCookie } from "../../../tag/cookies";

// The tag wrote its cookies with js-cookie 3 until it carried its own few lines:
// a visitor's id written by either must read back the same with the other.
let lines: string[];
let jar: Map<string, string>;
beforeEach(() => {
  lines = [];
  jar = new Map();
  vi.stubGlobal("document", {
    get cookie() {
      return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    },
    set cookie(line: string) {
      lines.push(line);
      const [pair, ...attrs] = line.split("; ");
      const at = pair!.indexOf("=");
      if (attrs.some((a) => a.startsWith("expires=") && new Date(a.slice(8)).getTime() < Date.now()))
        jar.delete(pair!.slice(0, at));
      else jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    },
  });
});
afterEach(() => vi.unstubAllGlobals());

const values = [
  "4f0c1c2e-8d7e-4b8a-9a51-0c2d5e6f7a8b",
  "user@example.com",
  'a b;c,d=e"f\\g',
  "ünïcödé ✓ 🙂",
  "%41 already-encoded %zz",
  "(paren)[bracket]{brace}#$&+/:<>?^`|",
];

describe("tag cookies", () => {
  it("writes the same cookie line as js-cookie", () => {
    const attrs = { domain: "example.com", expires: 365, path: "/", sameSite: "Lax" as const, secure: true };
    vi.useFakeTimers({ now: new Date("2026-11-29T12:00:00Z"), toFake: ["Date"] });
    try {
      for (const v of values) {
        Cookies.set("_uid", v, attrs);
        setCookie("_uid", v, attrs);
        expect(lines.pop()).toBe(lines.pop());
      }
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads back what js-cookie wrote, and js-cookie reads what it writes", () => {
    for (const v of values) {
      Cookies.set("seerid", v, { path: "/" });
      expect(getCookie("seerid")).toBe(v);
      setCookie("_uid", v, { path: "/" });
      expect(Cookies.get("_uid")).toBe(v);
    }
  });

  it("finds one cookie among others, and none that is absent", () => {
    jar.set("a", "1").set("_uid", "x%20y").set("seerid", '"quoted"');
    const read = document.cookie;
    expect(getCookie("_uid", read)).toBe("x y");
    expect(getCookie("seerid", read)).toBe("quoted");
    expect(getCookie("missing", read)).toBeUndefined();
    expect(getCookie("_uid", "")).toBeUndefined();
  });

  it("removes a cookie", () => {
    setCookie("_uid", "x", { path: "/" });
    removeCookie("_uid", { path: "/" });
    expect(getCookie("_uid")).toBeUndefined();
  });
});
