/**
 * `pathfora.ga.min.js`, loaded on demand by the first widget event of a
 * page where `pathfora.enableGA` is true: forwards widget events to Google
 * Analytics as Pathfora does — an event in category `Lytics` with action
 * `<widget id> : <pf-widget-action or pf-widget-event>`, non-interaction,
 * through every analytics.js tracker (`ga.getAll()`), else through `gtag`.
 */
import type { TrackedEvent } from "../types/widgets";
import "./env";

const pf = window.pathfora!;

function forward(d: TrackedEvent): void {
  const action = d["pf-widget-id"] + " : " + (d["pf-widget-action"] || d["pf-widget-event"]);
  const { ga, gtag } = window;
  if (typeof ga == "function" && ga.getAll)
    for (const t of ga.getAll()) ga(t.get("name") + ".send", "event", "Lytics", action, "", { nonInteraction: true });
  else gtag?.("event", action, { event_category: "Lytics", non_interaction: true });
}

pf._ga = forward;
pf._gaq?.splice(0).forEach(forward);
