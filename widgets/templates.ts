/**
 * Entity templates: `{{field | default}}` in headline, msg and image,
 * filled from the visitor's profile (dot paths), else `pathfora.customData`.
 * Values are escaped as text (image: used as a URL, checked later).
 */
import type { ResolvedWidget } from "../types/widgets";
import { user } from "./env";
import { esc } from "./util";

const FIELDS = ["headline", "msg", "image"] as const;
const RE = /\{\{(.*?)\}\}/g;

/** The profile fields the templates of a configuration use (`{{name | friend}}`: `name`). */
export const templateFields = (w: Partial<Record<(typeof FIELDS)[number], string>>): string[] =>
  FIELDS.flatMap((f) => [...(w[f] || "").matchAll(RE)].map((m) => m[1]!.split("|")[0]!.trim()));

/** Whether any templated field of `w` holds a template. */
export const hasTemplates = (w: ResolvedWidget): boolean => FIELDS.some((f) => /\{\{.*?\}\}/.test(w[f] || ""));

const lookup = (root: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((o, k) => (o != null ? (o as Record<string, unknown>)[k] : o), root);

/**
 * Fills the templates of `w` in place. Returns false when a field has no
 * value and no default (unless `showOnMissingFields`).
 */
export function fill(w: ResolvedWidget): boolean {
  let ok = true;
  for (const f of FIELDS)
    w[f] = w[f]?.replace(RE, (_, expr: string) => {
      const [path, def = ""] = expr.split("|").map((s) => s.trim());
      let v = lookup(user(), path!);
      v ??= lookup(window.pathfora?.customData, path!);
      if (v == null) {
        if (!def && !w.displayConditions.showOnMissingFields) ok = false;
        return def;
      }
      return f == "image" ? String(v) : esc(String(v));
    });
  return ok;
}
