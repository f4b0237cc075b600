import { describe, expect, it } from "vitest";
import { call } from "../helpers";

/** `sha384-` + base64 of the SHA-384 digest of `body`, as an `integrity` attribute takes it. */
async function sri(body: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-384", body));
  return `sha384-${btoa(String.fromCharCode(...digest))}`;
}

describe("Subresource Integrity manifest", () => {
  it("lists the static bundles with hashes that match what the worker serves", async () => {
    const res = await call("/manifest.json");
    expect(res.status).toBe(200);
    const manifest = (await res.json()) as Record<string, { bytes: number; integrity: string }>;
    for (const path of ["/static/pathfora.min.js", "/static/pathfora.min.css", "/static/experiences.min.js"])
      expect(Object.keys(manifest)).toContain(path);
    for (const [path, entry] of Object.entries(manifest)) {
      if (!path.startsWith("/static/")) continue;
      const body = await (await call(path)).arrayBuffer();
      expect(body.byteLength, path).toBe(entry.bytes);
      expect(await sri(body), path).toBe(entry.integrity);
    }
  });
});
