/** Small shared helpers: merging, URLs, escaping, callbacks. */
import type { Callback, WidgetCallback } from "../types/widgets";

type Obj = Record<string, unknown>;

/** A plain object (not an array, not null). */
export const isObj = (v: unknown): v is Obj =>
  !!v && typeof v == "object" && !Array.isArray(v) && !(v instanceof RegExp);

/**
 * Deep-merges `src` into `target` (Pathfora's `updateObject`): nested
 * objects merge, everything else replaces. Returns `target`.
 */
export function merge<T extends Obj>(target: T, src: unknown): T {
  if (isObj(src))
    for (const k in src) {
      const v = src[k];
      (target as Obj)[k] = isObj(v) ? merge(isObj(target[k]) ? (target[k] as Obj) : {}, v) : v;
    }
  return target;
}

/** The absolute URL if it is http(s), else undefined. */
export function safeUrl(u: unknown): string | undefined {
  try {
    const x = new URL(u as string, location.href);
    if (u && /^https?:$/.test(x.protocol)) return x.href;
  } catch {}
}

/** Escapes text for inclusion in the simple-HTML fields. */
export const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => "&#" + c.charCodeAt(0) + ";");

/**
 * The function a callback setting stands for. Strings (from API overrides)
 * are compiled only when the account opted in with
 * `pathfora.enableStringCallbacks`; otherwise they are ignored.
 */
export function fnOf(cb: Callback | undefined | unknown): WidgetCallback | undefined {
  if (typeof cb == "string" && window.pathfora?.enableStringCallbacks)
    try {
      cb = new Function("return(" + cb + ")")();
    } catch {}
  if (typeof cb == "function") return cb as WidgetCallback;
}

/** Runs a user callback; its errors are reported without breaking the widget. */
export function call(cb: unknown, ...args: Parameters<WidgetCallback>): void {
  try {
    fnOf(cb)?.(...args);
  } catch (e) {
    setTimeout(() => {
      throw e;
    });
  }
}
