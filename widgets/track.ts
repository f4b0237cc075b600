/**
 * Tracking: every widget event goes to `jstag.send` with Pathfora's
 * `pf-widget-*` fields (they feed experience reporting), minus the keys the
 * widget censors.
 */
import type { FieldValue } from "../types/wire";
import type { ResolvedWidget } from "../types/widgets";
import { tag } from "./env";

/** Sends `event` for `w` with `extra` fields (`pf-widget-action`, `pf-form-*`, ...). */
export function track(event: string, w: ResolvedWidget, extra?: Record<string, FieldValue>): void {
  const data: Record<string, FieldValue> = {
    "pf-widget-id": w.id,
    "pf-widget-type": w.type,
    "pf-widget-layout": w.layout,
    "pf-widget-variant": w.variant,
    ...extra,
    "pf-widget-event": event,
  };
  for (const k in data)
    if (w.censorTrackingKeys?.some((c) => (typeof c == "string" ? c == k : c.test(k)))) delete data[k];
  tag()?.send?.(data);
}
