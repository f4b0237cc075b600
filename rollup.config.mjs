// Browser bundles. `npm run build` writes them into dist/, which the worker
// serves through its ASSETS binding (see wrangler.toml).
import { existsSync } from "node:fs";
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";
import { nodeResolve } from "@rollup/plugin-node-resolve";

/** Shared minifier settings: every byte of the tag is argued for. */
export const minify = (preamble) =>
  terser({
    ecma: 2018,
    compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
    format: { comments: false, preamble },
  });

/**
 * V8's explicit compile hint (Chrome 136+; a plain comment elsewhere): every
 * function of the file is compiled eagerly with the script, which the browser
 * does off the main thread while the script streams in, instead of lazily on
 * the main thread the first time each function runs. The tag calls almost
 * all of its functions on load, so this moves its compile work off the main
 * thread (about 4 ms of main-thread CPU per cold load; see bench/RESULTS.md).
 */
export const EAGER = "//# allFunctionsCalledOnLoad";

/** TypeScript for browser code, strict, no declarations. */
export const ts = () =>
  typescript({
    tsconfig: "./tsconfig.json",
    noEmit: false,
    declaration: false,
    include: ["tag/**", "widgets/**", "admin/**", "types/**"],
  });

const tag = [
  {
    input: "tag/index.ts",
    output: [
      { file: "dist/tag/latest.min.js", format: "iife", plugins: [minify(EAGER)] },
      { file: "dist/tag/latest.js", format: "iife", banner: EAGER },
    ],
    plugins: [nodeResolve(), ts()],
  },
  {
    // The experience runtime the tag's loader adds when the account has published experiences.
    input: "tag/experience-runtime.ts",
    output: { file: "dist/static/experiences.min.js", format: "iife", plugins: [minify()] },
    plugins: [nodeResolve(), ts()],
  },
  {
    input: "tag/esm.ts",
    output: { file: "dist/tag/latest.esm.js", format: "es" },
    plugins: [nodeResolve(), ts()],
  },
];

// Each browser package may contribute its own entries (widgets, admin).
const parts = [];
for (const part of ["./widgets/build.mjs", "./admin/build.mjs"]) {
  if (existsSync(new URL(part, import.meta.url))) parts.push(...(await import(part)).default);
}

export default [...tag, ...parts];
