// Completes package-lock.json with the platform-specific optional packages
// of other platforms (rollup's and workerd's native builds for macOS,
// Windows, Android, ...). The npm registry these machines reach serves only
// the Linux builds, so `npm install` leaves them out of the lock, and
// `npm ci` then refuses the lock as out of sync. Each added entry carries
// its os/cpu/libc, so npm skips it on every other platform without fetching
// it. Run after any `npm install` that changes the lock:
//   node scripts/complete-lock.mjs
import { readFileSync, writeFileSync } from "node:fs";

const OS = {
  android: "android",
  darwin: "darwin",
  freebsd: "freebsd",
  linux: "linux",
  openbsd: "openbsd",
  openharmony: "openharmony",
  win32: "win32",
  windows: "win32",
  sunos: "sunos",
  aix: "aix",
  netbsd: "netbsd",
};
const CPU = {
  arm64: "arm64",
  arm: "arm",
  x64: "x64",
  64: "x64",
  ia32: "ia32",
  loong64: "loong64",
  ppc64: "ppc64",
  riscv64: "riscv64",
  s390x: "s390x",
  mips64el: "mips64el",
};

/** Platform constraints read off a package name such as `@rollup/rollup-linux-arm-musleabihf`. */
export function platformOf(name) {
  const tokens = name.split("/").pop().split("-");
  const os = tokens.map((t) => OS[t]).find(Boolean);
  const cpuToken = tokens.slice(tokens.findIndex((t) => OS[t]) + 1).find((t) => CPU[t]);
  const cpu = cpuToken ? CPU[cpuToken] : undefined;
  const tail = tokens.at(-1);
  const libc =
    os === "linux" ? (tail.includes("musl") ? "musl" : tail.startsWith("gnu") ? "glibc" : undefined) : undefined;
  return { os, cpu, libc };
}

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;
let added = 0;
for (const [where, meta] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${where}/node_modules/${dep}`;
    const top = `node_modules/${dep}`;
    if (packages[nested] || packages[top]) continue;
    const { os, cpu, libc } = platformOf(dep);
    if (!os) continue; // not a platform build: leave it to npm
    packages[top] = {
      version: spec.replace(/^[\^~=]/, ""),
      ...(cpu ? { cpu: [cpu] } : {}),
      ...(meta.dev ? { dev: true } : {}),
      ...(libc ? { libc: [libc] } : {}),
      optional: true,
      os: [os],
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))),
);
writeFileSync(path, JSON.stringify(lock, null, 2) + "\n");
console.log(`complete-lock: added ${added} platform entries`);
