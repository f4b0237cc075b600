// Builds the tag as it was at an earlier commit (default 93ded44, before the
// main-thread work was cut) so the tag benchmark can load it beside the
// current build in the same run. The sources come from `git show`; they are
// bundled with esbuild and minified with the same terser settings as
// rollup.config.mjs. Used by bench/tag.ts only.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { minify } from "terser";

/** The commit whose tag is the benchmark's "before". */
export const BEFORE_COMMIT = process.env.BENCH_TAG_BEFORE ?? "93ded44";

const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8", maxBuffer: 1 << 26 });

/** The tag (`latest.min.js`) and the minified snippet of `commit`. */
export async function buildTagAt(commit = BEFORE_COMMIT): Promise<{ tag: string; snippet: string; commit: string }> {
  const full = git("rev-parse", "--short", commit).trim();
  // Inside node_modules so that the tag's imports (js-cookie) resolve from the repo's packages.
  const dir = join("node_modules", ".cache", "pathlight-bench", `tag-${full}`);
  rmSync(dir, { recursive: true, force: true });
  for (const path of git("ls-tree", "-r", "--name-only", commit, "tag", "types").split("\n").filter(Boolean)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), git("show", `${commit}:${path}`));
  }
  const bundled = await build({
    entryPoints: [join(dir, "tag", "index.ts")],
    bundle: true,
    format: "iife",
    target: "es2018",
    write: false,
    logLevel: "error",
  });
  const tag = await minify(bundled.outputFiles[0]!.text, {
    ecma: 2018,
    compress: { passes: 3, pure_getters: true, unsafe_arrows: true },
    format: { comments: false },
  });
  const snippet = await minify(git("show", `${commit}:tag/snippet.js`), {
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  return { tag: tag.code!, snippet: snippet.code!, commit: full };
}
