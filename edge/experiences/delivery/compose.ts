/**
 * The widget configuration an experience's variation is delivered with —
 * the same for `config.js`, `/personalize` and SegmentHub — built in this
 * order, each step merged over the previous one (JSON Merge Patch):
 *
 * 1. the experience's `display_conditions` as `displayConditions`;
 * 2. the variation's widget (its own display conditions win key by key);
 * 3. the keys the tactic imposes (recommendations: `variant: "3"`; drive
 *    traffic: `confirmAction.url`);
 * 4. `vehicle.detail_override` (the API override has the last word);
 * 5. `id`: `{experience id}-{variation id}`, so tracking events name their
 *    variation (empty `displayConditions` are left out);
 * 6. string callbacks stripped unless the account allows them.
 */
import { toWeight } from "./assignment";
import type { DeliveredExperience, Experience, JsonObject, Variation } from "../contract";
import { widgetId } from "../model/experience";
import { applyOverride, isJsonObject, mergePatch, stripStringCallbacks } from "../model/override";
import { tacticSpec, tacticWidgetKeys } from "../model/tactics";

/** Account settings that change what is delivered. */
export interface DeliveryOptions {
  /** The account's `allow_string_callbacks`. */
  allowStringCallbacks: boolean;
}

/** The final Pathfora configuration of `variation`. */
export function composeWidget(experience: Experience, variation: Variation, options: DeliveryOptions): JsonObject {
  let widget = mergePatch({ displayConditions: experience.display_conditions }, variation.widget) as JsonObject;
  widget = mergePatch(widget, tacticWidgetKeys(experience.tactic, widget, variation.link)) as JsonObject;
  widget = { ...applyOverride(widget, experience.vehicle.detail_override), id: widgetId(experience.id, variation.id) };
  const conditions = widget["displayConditions"];
  if (isJsonObject(conditions) && Object.keys(conditions).length === 0) delete widget["displayConditions"];
  return options.allowStringCallbacks ? widget : stripStringCallbacks(widget);
}

const epoch = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/** `experience` as `config.js` carries it. */
export function deliverExperience(experience: Experience, options: DeliveryOptions): DeliveredExperience {
  const spec = tacticSpec(experience.tactic);
  return {
    id: experience.id,
    tactic: experience.tactic,
    type: spec.type,
    factory: spec.factory,
    include: [...experience.targeting.include],
    exclude: [...experience.targeting.exclude],
    start: epoch(experience.dates.start_date),
    end: epoch(experience.dates.end_date),
    variations: experience.variations.map((v) => ({
      id: v.id,
      weight: toWeight(v.share),
      widget: composeWidget(experience, v, options) as DeliveredExperience["variations"][number]["widget"],
    })),
    control_weight: toWeight(experience.control_share),
  };
}

/** Delivery order: first publication, then id (stable, so `config.js` and its ETag are too). */
export function deliveryOrder(
  a: Pick<Experience, "published" | "id">,
  b: Pick<Experience, "published" | "id">,
): number {
  return (a.published ?? "").localeCompare(b.published ?? "") || a.id.localeCompare(b.id);
}
