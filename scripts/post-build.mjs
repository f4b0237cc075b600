// Runs after rollup: minifies the install snippet, copies the demo site
// (with the snippet inlined, allowed by its hash under a strict CSP) and writes dist/manifest.json with the SRI
// hash of every served bundle.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { minify } from "terser";

const dist = "dist";
mkdirSync(join(dist, "tag"), { recursive: true });

const source = readFileSync("tag/snippet.js", "utf8");
const { code } = await minify(source, { compress: { passes: 2 }, mangle: true, format: { comments: false } });
writeFileSync(join(dist, "tag", "snippet.min.js"), code);

/** The full install snippet for a tag URL: the loader plus init and nothing else. */
export const snippetFor = (src) => `${code}\njstag.init({src:${JSON.stringify(src)}});`;

/** The CSP source that allows exactly this inline script text: `'sha256-…'`. */
export const scriptHash = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

if (existsSync("demo")) {
  // The demo site: index.html plus one page per article from a template,
  // each with the snippet and the shared header (linking the articles marked
  // `nav`) filled in; images from demo/img.
  const out = join(dist, "demo");
  mkdirSync(out, { recursive: true });
  for (const file of ["demo.css", "demo.js"]) cpSync(join("demo", file), join(out, file));
  if (existsSync("demo/img")) cpSync("demo/img", join(out, "img"), { recursive: true });
  const articles = JSON.parse(readFileSync("demo/articles.json", "utf8"));
  const escapeHtml = (s) =>
    String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const header = `<header><a href="index.html" class="brand">The Pathlight Gazette</a>\n<nav>${articles
    .filter((a) => a.nav)
    .map((a) => `<a href="article-${a.slug}.html">${escapeHtml(a.slug[0].toUpperCase() + a.slug.slice(1))}</a>`)
    .join(" ")}</nav></header>`;
  // The demo runs under a strict policy, as a careful site would: the inline
  // snippet is allowed by its hash (README "Strict Content Security Policy"),
  // everything else must come from the worker's origin. The worker's header
  // adds frame-ancestors, which a <meta> policy cannot carry.
  const inline = `\n${snippetFor("/api/tag/demo/latest.min.js")}\n`;
  const policy = [
    "default-src 'self'",
    `script-src 'self' ${scriptHash(inline)}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join("; ");
  const fill = (html) =>
    html
      .replace("<!--PATHLIGHT_CSP-->", `<meta http-equiv="Content-Security-Policy" content="${policy}">`)
      .replace("<!--PATHLIGHT_SNIPPET-->", `<script>${inline}</script>`)
      .replace("<!--PATHLIGHT_HEADER-->", header);
  writeFileSync(join(out, "index.html"), fill(readFileSync("demo/index.html", "utf8")));
  const template = readFileSync("demo/article.template.html", "utf8");
  for (const a of articles) {
    writeFileSync(
      join(out, `article-${a.slug}.html`),
      fill(template.replace(/\{\{(\w+)\}\}/g, (_, k) => escapeHtml(a[k]))),
    );
  }
}
// The API reference (/docs): Swagger UI from the installed swagger-ui-dist
// package (never a CDN) plus our page, its init script and a few styles.
if (existsSync("admin/docs/index.html")) {
  const out = join(dist, "docs");
  mkdirSync(out, { recursive: true });
  for (const file of ["index.html", "docs.js", "docs.css"]) cpSync(join("admin/docs", file), join(out, file));
  for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"])
    cpSync(join("node_modules/swagger-ui-dist", file), join(out, file));
}
if (existsSync("admin/index.html")) {
  mkdirSync(join(dist, "admin"), { recursive: true });
  cpSync("admin/index.html", join(dist, "admin", "index.html"));
  cpSync("admin/preview.html", join(dist, "admin", "preview.html"));
}

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(js|css)$/.test(name) && !path.startsWith(join(dist, "demo"))) files.push(path);
  }
};
walk(dist);
const manifest = {};
for (const path of files.sort()) {
  const body = readFileSync(path);
  manifest["/" + relative(dist, path)] = {
    bytes: body.length,
    integrity: "sha384-" + createHash("sha384").update(body).digest("base64"),
  };
}
writeFileSync(join(dist, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
