import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { baseUrl, servePage } from "./harness";

/** The built install snippet (dist/tag/snippet.min.js). */
export const snippet = (): string => readFileSync("dist/tag/snippet.min.js", "utf8");

/**
 * A page on the worker's origin with the install snippet, the given config
 * and `body` script run right after the snippet (before the tag loads).
 */
export function tagPage(opts: { config?: Record<string, unknown>; before?: string; title?: string } = {}): string {
  const config = { src: `${baseUrl()}/api/tag/demo/latest.min.js`, ...opts.config };
  return `<!doctype html><html><head><title>${opts.title ?? "Test page"}</title>
<script>${snippet()}
jstag.init(${JSON.stringify(config)});
${opts.before ?? ""}
</script></head><body><h1>test</h1></body></html>`;
}

let pageCounter = 0;
/** Serves `html` at a fresh URL on the worker's origin and opens it. */
export async function openPage(page: Page, html: string, path?: string): Promise<string> {
  const url = `${baseUrl()}/fixture/${path ?? `p${pageCounter++}`}.html`;
  await servePage(page, url, html);
  await page.goto(url);
  return url;
}

/** Waits until the tag has loaded its entity. */
export async function entityLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => !!(window as any).jstag.getEntity?.());
}

/** Collect request bodies the page sends, parsed. */
export function recordCollects(page: Page): { bodies: any[][] } {
  const rec = { bodies: [] as any[][] };
  page.on("request", (req) => {
    if (req.method() === "POST" && /\/c\/demo/.test(req.url())) rec.bodies.push(JSON.parse(req.postData() ?? "[]"));
  });
  return rec;
}
