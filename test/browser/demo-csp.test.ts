// Trust #14: the demo site runs under a strict script policy — the inline
// install snippet is allowed by its hash, never by 'unsafe-inline' — and the
// tag, Pathfora and the page view work without a single CSP violation.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, useBrowser } from "./harness";

const open = useBrowser();

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
}

/** Records every `securitypolicyviolation` of the page from its first byte on. */
async function recordViolations(page: Page): Promise<() => Promise<Violation[]>> {
  await page.addInitScript(() => {
    const w = window as unknown as { __violations: Violation[] };
    w.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.__violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }),
    );
  });
  return () => page.evaluate(() => (window as unknown as { __violations: Violation[] }).__violations);
}

/** The policies the page is under: the response header and any `<meta http-equiv>` policy. */
async function policies(page: Page, header: string | null): Promise<string[]> {
  const metas = await page.$$eval('meta[http-equiv="Content-Security-Policy" i]', (els) =>
    els.map((e) => e.getAttribute("content") ?? ""),
  );
  return [header ?? "", ...metas].filter(Boolean);
}

/** The `script-src` of a policy (or its `default-src`), as a list of sources. */
function scriptSources(policy: string): string[] | null {
  const directives = new Map(
    policy
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map((d) => [d[0]!.toLowerCase(), d.slice(1)] as const),
  );
  return directives.get("script-src") ?? directives.get("default-src") ?? null;
}

describe("the demo site under a strict script CSP", () => {
  it.each(["/demo/", "/demo/article-hiking.html"])(
    "%s: no 'unsafe-inline', the tag loads, a page view reaches the edge, no violation",
    async (path) => {
      const { page } = await open();
      const violations = await recordViolations(page);
      const pageView = page.waitForResponse((r) => /\/c\/demo/.test(r.url()) && r.request().method() === "POST");
      const res = await page.goto(`${baseUrl()}${path}`);
      expect(res?.status()).toBe(200);

      // Some policy restricts scripts, and none of them allows inline script or eval wholesale.
      const all = await policies(page, res!.headers()["content-security-policy"] ?? null);
      const restricting = all.map(scriptSources).filter((s): s is string[] => s !== null);
      expect(restricting.length).toBeGreaterThan(0);
      for (const sources of restricting) {
        expect(sources).not.toContain("'unsafe-inline'");
        expect(sources).not.toContain("'unsafe-eval'");
        expect(sources).not.toContain("*");
        expect(sources).not.toContain("data:");
      }

      expect((await pageView).status()).toBe(200);
      await page.waitForFunction(() => (window as unknown as { jstag?: { isLoaded?: boolean } }).jstag?.isLoaded);
      if (path.includes("article")) await page.waitForFunction(() => "pathfora" in window);
      await page.waitForLoadState("networkidle");
      if (path.includes("article")) {
        // A widget, as Pathfora's documentation shows it, renders under the policy too.
        await page.evaluate(() => {
          const pathfora = (window as any).pathfora;
          const widget = new pathfora.Message({
            id: "csp-slideout",
            layout: "slideout",
            headline: "Under a strict policy",
            msg: "Welcome to our website",
          });
          pathfora.initializeWidgets([widget]);
        });
        await page.getByText("Under a strict policy").waitFor({ state: "visible" });
      }
      expect(await violations()).toEqual([]);

      // The policy is enforced: a script injected inline is refused and reported.
      await page.evaluate(() => {
        const s = document.createElement("script");
        s.textContent = "window.__injected = true";
        document.head.appendChild(s);
      });
      await page.waitForFunction(() => (window as unknown as { __violations: unknown[] }).__violations.length > 0);
      expect(await page.evaluate(() => "__injected" in window)).toBe(false);
      expect((await violations())[0]).toMatchObject({ directive: "script-src-elem", blocked: "inline" });
    },
  );
});
