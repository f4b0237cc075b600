/**
 * `GET /api/experience/candidate/:cid/config.js`: the account's published
 * experiences as Pathfora configuration with their targeting, for the
 * browser to evaluate against the visitor's cached audiences.
 *
 * The body is one statement, safe to serve as `application/javascript`:
 *
 * ```js
 * (window.pathlightExperiences=window.pathlightExperiences||[]).push({"v":1,"cid":"demo",...});
 * ```
 *
 * — the snippet-queue pattern, so it works whichever of the loader and
 * `config.js` runs first: a loader that arrives later reads the array; one
 * already there replaces `window.pathlightExperiences` with an object whose
 * `push(payload)` runs at once. The payload is {@link ConfigPayload} (see
 * `DeliveredExperience` in the contract for how the loader evaluates it).
 *
 * What it never contains: drafts, paused or archived experiences, ones
 * whose end date has passed, and — unless the account allows string
 * callbacks — any callback string. The JSON is escaped for a script
 * context (`<`, `>`, `&`, U+2028, U+2029 as `\uXXXX`), so no configuration
 * text can close the script or break the statement.
 *
 * The ETag is strong: `"` + the first 32 hex digits of the body's SHA-256
 * + `"`. The same experiences always give the same body (ordered by first
 * publication, then id), so the edge cache can key on it and a publish,
 * pause, archive or edit changes it.
 */
import type { ConfigPayload, Experience } from "../contract";
import { type DeliveryOptions, deliverExperience, deliveryOrder } from "./compose";
import { isDelivered } from "../model/lifecycle";
import { findStringCallbacks } from "../model/override";

/** The global the payload is pushed onto. */
export const CONFIG_GLOBAL = "pathlightExperiences";

/** The payload of `config.js` for account `cid`. */
export function configPayload(
  cid: string,
  experiences: Iterable<Experience>,
  options: DeliveryOptions & { now: Date },
): ConfigPayload {
  const live = [...experiences].filter((e) => isDelivered(e, options.now)).sort(deliveryOrder);
  const delivered = live.map((e) => deliverExperience(e, options));
  return {
    v: 1,
    cid,
    string_callbacks:
      options.allowStringCallbacks &&
      delivered.some((e) => e.variations.some((v) => findStringCallbacks(v.widget).length > 0)),
    experiences: delivered,
  };
}

const UNSAFE = /[<>&\u2028\u2029]/g;

/** JSON for a `<script>` or JavaScript context: `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX` escapes. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The `config.js` body carrying `payload`. */
export function renderConfigScript(payload: ConfigPayload): string {
  return `(window.${CONFIG_GLOBAL}=window.${CONFIG_GLOBAL}||[]).push(${scriptSafeJson(payload)});\n`;
}

/** A strong ETag of `body`: `"` + 32 hex digits of its SHA-256 + `"`. */
export async function strongEtag(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
  const hex = Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `"${hex}"`;
}

/** `config.js` for account `cid`: its body and ETag. */
export async function configScript(
  cid: string,
  experiences: Iterable<Experience>,
  options: DeliveryOptions & { now: Date },
): Promise<{ body: string; etag: string; payload: ConfigPayload }> {
  const payload = configPayload(cid, experiences, options);
  const body = renderConfigScript(payload);
  return { body, etag: await strongEtag(body), payload };
}
