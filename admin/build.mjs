// Rollup entries of the console (/admin): the shell (admin.min.js) plus one
// chunk per page loaded on demand with `import()`, and the stylesheet, all
// served by the worker from dist/admin/.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";
import { nodeResolve } from "@rollup/plugin-node-resolve";

const css = () => ({
  name: "admin-css",
  generateBundle() {
    mkdirSync("dist/admin", { recursive: true });
    const min = readFileSync("admin/admin.css", "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\s+/g, " ")
      .replace(/\s*([{};:,>])\s*/g, "$1")
      .trim();
    writeFileSync("dist/admin/admin.min.css", min);
  },
});

/** The module listing every page: `admin/pages/<name>/index.tsx`, each behind `import()`. */
const PAGES_ID = "virtual:console-pages";

/**
 * Views of the first console, used as a page until that page has its own
 * folder under admin/pages/ (the folder wins as soon as it exists).
 */
const LEGACY_PAGES = {
  audiences: "admin/views/audiences.tsx",
  people: "admin/views/profiles.tsx",
  settings: "admin/views/settings.tsx",
};

const pages = () => ({
  name: "console-pages",
  resolveId: (id) => (id === PAGES_ID ? `\0${PAGES_ID}` : null),
  load(id) {
    if (id !== `\0${PAGES_ID}`) return null;
    this.addWatchFile(resolve("admin/pages"));
    const found = {};
    for (const name of readdirSync("admin/pages").sort()) {
      const file = `admin/pages/${name}/index.tsx`;
      if (existsSync(file)) found[name] = resolve(file);
    }
    for (const [name, file] of Object.entries(LEGACY_PAGES)) found[name] ??= resolve(file);
    const entries = Object.entries(found).map(
      ([name, file]) => `${JSON.stringify(name)}:()=>import(${JSON.stringify(file)})`,
    );
    return `export const loaders={${entries.join(",")}};`;
  },
});

/** Names a page's chunk after the page (`page-experiences-<hash>.js`). */
const chunkName = (chunk) => {
  const id = chunk.facadeModuleId ?? "";
  const rel = relative(resolve("admin"), id).replace(/\\/g, "/");
  const page = /^pages\/([^/]+)\/index\.tsx$/.exec(rel)?.[1];
  const legacy = Object.entries(LEGACY_PAGES).find(([, f]) => resolve(f) === id)?.[0];
  const name = page ?? legacy;
  return name ? `chunks/page-${name}-[hash].js` : "chunks/[name]-[hash].js";
};

/**
 * Writes dist/admin/chunks.json: each file of the console with the files it
 * imports statically and those it loads on demand, so `npm run size` can
 * tell the initial JS from the on-demand chunks.
 */
const chunkGraph = () => ({
  name: "console-chunk-graph",
  // Chunk names carry a hash: drop the previous build's so none go stale.
  buildStart: () => rmSync("dist/admin/chunks", { recursive: true, force: true }),
  generateBundle(_options, bundle) {
    const graph = {};
    for (const [file, out] of Object.entries(bundle)) {
      if (out.type !== "chunk") continue;
      graph[file] = { entry: out.isEntry, imports: out.imports, dynamicImports: out.dynamicImports };
    }
    mkdirSync("dist/admin", { recursive: true });
    writeFileSync("dist/admin/chunks.json", `${JSON.stringify(graph, null, 2)}\n`);
  },
});

export default [
  {
    input: "admin/main.tsx",
    output: {
      dir: "dist/admin",
      format: "es",
      entryFileNames: "admin.min.js",
      chunkFileNames: chunkName,
      plugins: [terser({ ecma: 2020, compress: { passes: 2 }, format: { comments: false } })],
    },
    plugins: [
      pages(),
      nodeResolve(),
      typescript({ tsconfig: "./tsconfig.json", noEmit: false, declaration: false, include: ["admin/**", "types/**"] }),
      css(),
      chunkGraph(),
    ],
  },
];
