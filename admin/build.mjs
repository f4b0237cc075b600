// Rollup entries of the console (/admin): one minified ES2020 bundle plus
// its stylesheet, both served by the worker from dist/admin/.
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
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

export default [
  {
    input: "admin/main.tsx",
    output: {
      file: "dist/admin/admin.min.js",
      format: "es",
      plugins: [terser({ ecma: 2020, compress: { passes: 2 }, format: { comments: false } })],
    },
    plugins: [
      nodeResolve(),
      typescript({ tsconfig: "./tsconfig.json", noEmit: false, declaration: false, include: ["admin/**", "types/**"] }),
      css(),
    ],
  },
];
