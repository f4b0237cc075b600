// Browser bundles. `npm run build` writes them into dist/, which the worker
// serves through its ASSETS binding (see wrangler.toml).
import { existsSync } from "node:fs";
import typescript from "@rollup/plugin-typescript";
import terser from "@rollup/plugin-terser";
import { nodeResolve } from "@rollup/plugin-node-resolve";

/** Shared minifier settings: every byte of the tag is argued for. */
export const minify = () =>
  terser({
    ecma: 2018,
    compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
    format: { comments: false },
  });

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
      { file: "dist/tag/latest.min.js", format: "iife", plugins: [minify()] },
      { file: "dist/tag/latest.js", format: "iife" },
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
