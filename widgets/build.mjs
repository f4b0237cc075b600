// Rollup entries of the widgets (imported by the root rollup.config.mjs):
// dist/static/pathfora.min.js (IIFE, minified), dist/static/pathfora.js
// (readable) and dist/static/pathfora.min.css (widgets/pathfora.css,
// minified by the small plugin below).
import { readFileSync } from "node:fs";
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";
import { nodeResolve } from "@rollup/plugin-node-resolve";

const CSS = new URL("./pathfora.css", import.meta.url);

/** Strips comments and whitespace; the stylesheet is written to survive that. */
export const minifyCss = (css) =>
  css
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\s+/g, " ")
    .replace(/\s*([{};,>~+])\s*/g, "$1")
    .replace(/: /g, ":")
    .replace(/;}/g, "}")
    .replace(/\( /g, "(")
    .replace(/ \)/g, ")")
    .trim();

/** Emits the minified stylesheet next to the bundle. */
const css = () => ({
  name: "pathfora-css",
  generateBundle() {
    this.emitFile({ type: "asset", fileName: "pathfora.min.css", source: minifyCss(readFileSync(CSS, "utf8")) });
  },
});

const minify = () =>
  terser({
    ecma: 2020,
    // No unsafe_arrows: it turns `pathfora.Message` & co. into arrow functions, which `new` cannot call.
    compress: { passes: 3, pure_getters: true, unsafe_methods: true, unsafe: true },
    // Preact's internal fields (__k, __e, ...) are private to the bundle.
    mangle: { properties: { regex: /^__[a-zA-Z]$/ } },
    format: { comments: false },
  });

/**
 * The forms chunk renders with the Preact of pathfora.min.js (one Preact
 * per page; its private fields are mangled per build): its JSX runtime
 * comes from `pathfora._jsx`.
 */
const sharedPreact = () => ({
  name: "shared-preact",
  resolveId: (id) => (/^preact(\/jsx-runtime)?$/.test(id) ? "\0preact" : null),
  load: (id) =>
    id == "\0preact"
      ? "const p = window.pathfora._jsx; export const jsx = p.jsx, jsxs = p.jsxs, Fragment = p.Fragment;"
      : null,
});

const plugins = () => [
  nodeResolve(),
  typescript({
    tsconfig: "./tsconfig.json",
    noEmit: false,
    declaration: false,
    include: ["widgets/**", "types/**"],
  }),
];

export default [
  // Chunks loaded on demand: Google Analytics forwarding (pathfora.enableGA);
  // recommendations and inline personalization; form-type widgets.
  ...[
    ["ga", "ga"],
    ["personalize", "recommend"],
    ["forms", "forms"],
  ].map(([entry, name]) => ({
    input: `widgets/${entry}.ts`,
    output: { file: `dist/static/pathfora.${name}.min.js`, format: "iife", plugins: [minify()] },
    plugins: entry == "forms" ? [sharedPreact(), ...plugins()] : plugins(),
  })),
  {
    input: "widgets/index.ts",
    output: [
      { dir: "dist/static", entryFileNames: "pathfora.min.js", format: "iife", plugins: [minify(), css()] },
      { file: "dist/static/pathfora.js", format: "iife" },
    ],
    plugins: [
      nodeResolve(),
      typescript({
        tsconfig: "./tsconfig.json",
        noEmit: false,
        declaration: false,
        include: ["widgets/**", "types/**"],
      }),
    ],
  },
];
