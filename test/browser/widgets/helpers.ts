import type { Page } from "playwright-core";
import { baseUrl } from "../harness";

/** A tracking call the stub tag recorded. */
export type Sent = Record<string, unknown>;

export interface FixtureOptions {
  /** JavaScript run before pathfora loads (after the stub tag). */
  setup?: string;
  /** JavaScript run at the end of the body (usually initializeWidgets). */
  init?: string;
  body?: string;
  head?: string;
  /** Path of the page on the worker's origin (query allowed). */
  path?: string;
  /** Response headers of the page (e.g. a Content-Security-Policy). */
  headers?: Record<string, string>;
  /** Leave out the stub tag (e.g. to load the real one in `head`). */
  noStub?: boolean;
}

let n = 0;

/**
 * The in-page stand-in for `window.jstag`: records sends in `__sent`,
 * answers segments and the entity from `__segments`/`__user` (settable by
 * tests), resolves `entityReady` after `__entityDelay` ms.
 */
export const STUB = `
window.__sent = [];
window.__segments = window.__segments || ["all"];
window.__user = window.__user || {};
window.jstag = {
  config: { cid: "demo", url: location.origin },
  send: function (d) { window.__sent.push(JSON.parse(JSON.stringify(d))); },
  getSegments: function () { return window.__segments; },
  getEntity: function () { return window.__loaded ? { data: { user: Object.assign({ segments: window.__segments }, window.__user), experiences: [] } } : undefined; },
  entityReady: function (cb) { var t = this; setTimeout(function () { window.__loaded = true; cb(t.getEntity()); }, window.__entityDelay || 0); },
  getid: function (cb) { cb("visitor-1"); }
};`;

/**
 * Opens a fixture page on the worker's origin that loads the real
 * `/static/pathfora.min.js`. Every script is external, so pages work under
 * `script-src 'self'`.
 */
export async function openFixture(page: Page, o: FixtureOptions = {}): Promise<void> {
  const base = baseUrl();
  const id = `f${++n}`;
  const path = o.path ?? `/fixtures/${id}.html`;
  const js = (name: string, code: string) =>
    page.route(`${base}/fixtures/${id}-${name}.js`, (r) =>
      r.fulfill({ contentType: "application/javascript", body: code }),
    );
  await js("setup", (o.noStub ? "" : STUB) + (o.setup ?? ""));
  await js("init", o.init ?? "");
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fixture</title>${o.head ?? ""}
<script src="/fixtures/${id}-setup.js"></script><script src="/static/pathfora.min.js"></script>
</head><body><main><h1>Fixture page</h1>${o.body ?? ""}</main><script src="/fixtures/${id}-init.js"></script></body></html>`;
  await page.route(base + path, (r) =>
    r.fulfill({ status: 200, contentType: "text/html", headers: o.headers, body: html }),
  );
  await page.goto(base + path);
}

/** Tracking calls of one widget (or all). */
export const sent = (page: Page, id?: string): Promise<Sent[]> =>
  page.evaluate((id) => (window as any).__sent.filter((s: any) => !id || s["pf-widget-id"] === id), id);

/** The `pf-widget-event`s recorded for a widget, in order. */
export const eventsOf = async (page: Page, id: string): Promise<string[]> =>
  (await sent(page, id)).map((s) => s["pf-widget-event"] as string);

/** Waits until the widget is shown (opened and visible). */
export const shown = (page: Page, id: string, timeout = 5000) =>
  page.locator(`#${id}.opened`).waitFor({ state: "visible", timeout });

/** Whether a widget element is in the page at all. */
export const present = (page: Page, id: string): Promise<boolean> =>
  page.evaluate((id) => !!document.getElementById(id), id);

/** Waits `ms` in the page's own time. */
export const pause = (page: Page, ms: number) => page.waitForTimeout(ms);
