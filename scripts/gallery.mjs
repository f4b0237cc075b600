// `npm run gallery`: screenshots of every widget layout in every theme,
// written to gallery/<layout>-<theme>.png. Offline: the built files of
// dist/static are served from disk to a headless Chromium through request
// interception, with a stub tag and a stub recommendation API.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const ORIGIN = "http://gallery.test";
const OUT = "gallery";
const THEMES = {
  light: `theme: "light"`,
  dark: `theme: "dark"`,
  custom: `theme: "custom", colors: { background: "#0b3954", headline: "#ffd166", text: "#e0f2ff", close: "#bfd7ea", actionText: "#0b3954", actionBackground: "#ffd166", cancelText: "#e0f2ff", cancelBackground: "#1a5276" }`,
};
const LAYOUTS = {
  modal: (t) =>
    `new pathfora.Form({ id: "w", layout: "modal", ${t}, headline: "Talk to an expert", msg: "Leave your details and we'll call you back within a day.", footerText: "We never share your email." })`,
  slideout: (t) =>
    `new pathfora.Message({ id: "w", layout: "slideout", position: "bottom-right", variant: 2, image: "/img/avatar.svg", ${t}, headline: "Hi, I'm Ada", msg: "Need help choosing a plan?", okMessage: "Chat now", cancelMessage: "Later" })`,
  bar: (t) =>
    `new pathfora.Subscription({ id: "w", layout: "bar", position: "top-fixed", ${t}, msg: "Get weekly coffee tips in your inbox", okMessage: "Subscribe" })`,
  button: (t) => `new pathfora.Message({ id: "w", layout: "button", position: "bottom-right", ${t}, msg: "Feedback" })`,
  inline: (t) =>
    `new pathfora.Message({ id: "w", layout: "inline", positionSelector: "#slot", variant: 3, ${t}, headline: "Recommended for you", msg: "Based on what you read", recommend: { collection: "blog", display: { author: true, date: true } } })`,
  gate: (t) =>
    `new pathfora.SiteGate({ id: "w", ${t}, headline: "Members only", msg: "Sign up for free to keep reading." })`,
};

const page = (init) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gallery</title>
<link rel="stylesheet" href="/page.css"><script src="/stub.js"></script><script src="/static/pathfora.min.js"></script></head>
<body><main><h1>The Coffee Journal</h1><p>Brewing guides, bean reviews and the occasional rant about grinders.</p><div id="slot"></div>
<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit. Integer nec odio. Praesent libero. Sed cursus ante dapibus diam.</p></main>
<script src="/init.js?${encodeURIComponent(init)}"></script></body></html>`;

const STUB = `window.jstag = { config: { cid: "demo", url: location.origin }, send: function () {}, getSegments: function () { return ["all"]; },
  getEntity: function () { return { data: { user: { segments: ["all"] } } }; }, entityReady: function (cb) { cb(this.getEntity()); }, getid: function (cb) { cb("gallery"); } };`;
const PAGE_CSS = `body{font:16px/1.6 Georgia,serif;margin:0;padding:80px 60px;background:#fafafa;color:#222}main{max-width:760px;margin:auto}#slot{margin:24px 0}`;
const AVATAR = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" fill="#8e5b3e"/><circle cx="50" cy="40" r="18" fill="#f3d2b3"/><rect x="22" y="64" width="56" height="40" rx="20" fill="#f3d2b3"/></svg>`;
const COVER = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 160 120"><rect width="160" height="120" fill="#c69c6d"/><circle cx="80" cy="60" r="34" fill="#5d3a1a"/><ellipse cx="80" cy="60" rx="8" ry="26" fill="#c69c6d"/></svg>`;
const RECS = {
  data: [
    {
      url: "https://coffee.example/guides/pour-over",
      title: "The perfect pour-over",
      description: "Water temperature, grind size and timing: a step-by-step guide to a clean, sweet cup.",
      primary_image: `${ORIGIN}/img/cover.svg`,
      author: "Ada",
      created: "2024-05-02T08:00:00Z",
    },
  ],
};

mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 }, reducedMotion: "reduce" });
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin !== ORIGIN) return route.abort();
    const send = (body, contentType) => route.fulfill({ body, contentType });
    if (url.pathname.startsWith("/static/")) {
      const file = join("dist/static", url.pathname.slice(8));
      return send(readFileSync(file), file.endsWith(".css") ? "text/css" : "application/javascript");
    }
    if (url.pathname === "/stub.js") return send(STUB, "application/javascript");
    if (url.pathname === "/init.js")
      return send(
        `pathfora.initializeWidgets([${decodeURIComponent(url.search.slice(1))}]);`,
        "application/javascript",
      );
    if (url.pathname === "/page.css") return send(PAGE_CSS, "text/css");
    if (url.pathname === "/img/avatar.svg") return send(AVATAR, "image/svg+xml");
    if (url.pathname === "/img/cover.svg") return send(COVER, "image/svg+xml");
    if (url.pathname.startsWith("/api/content/recommend/")) return send(JSON.stringify(RECS), "application/json");
    return send(page(url.searchParams.get("w") ?? ""), "text/html");
  });
  const tab = await context.newPage();
  for (const [layout, widget] of Object.entries(LAYOUTS)) {
    for (const [theme, settings] of Object.entries(THEMES)) {
      await tab.goto(`${ORIGIN}/?w=${encodeURIComponent(widget(settings))}`);
      await tab.locator("#w.opened").waitFor({ state: "visible", timeout: 5000 });
      await tab.waitForTimeout(100);
      const file = join(OUT, `${layout}-${theme}.png`);
      await tab.screenshot({ path: file });
      console.log(file);
    }
  }
} finally {
  await browser.close();
}
