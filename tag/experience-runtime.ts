/**
 * The experience runtime, `/static/experiences.min.js` (added by the tag's
 * loader, `experiences.ts`; never part of the tag): drains
 * `window.pathlightExperiences` (the payloads `config.js` pushes) and shows
 * each experience the visitor qualifies for: dates, then audiences from
 * `jstag.getSegments()`, then the variation `/personalize` named (or the
 * documented bucket of the visitor id, see edge/experiences/delivery/assignment.ts),
 * through `pathfora[factory](widget)` (called, not `new`ed: Pathfora's factories return the prepared widget either way) and `pathfora.initializeWidgets`.
 * It waits for the entity (or 2 s) so fresh audiences count. A visitor in
 * the control group sees nothing and sends one `holdout` tracking event.
 */
import type { JsTag } from "./tag";

interface Delivered {
  id: string;
  factory: string;
  include: string[];
  exclude: string[];
  start: number | null;
  end: number | null;
  variations: { id: string; weight: number; widget: object }[];
  control_weight: number;
}
interface Payload {
  string_callbacks: boolean;
  experiences: Delivered[];
}
type Pathfora = Record<string, unknown> & {
  enableStringCallbacks?: boolean;
  initializeWidgets(w: unknown[]): void;
};

/** FNV-1a + fmix32 of `s`, modulo 10,000 (the edge's `bucketOf`). */
export function bucket(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) % 10000;
}

/** Installs the runtime on `window` (see the module comment). */
function runExperiences(): void {
  const w = window as unknown as { pathfora?: Pathfora; pathlightExperiences?: unknown; jstag?: JsTag };
  const tag = w.jstag;
  if (!tag?.entityReady) return;
  const payloads: Payload[] = [];
  let waited = false;
  const go = () => {
    const pf = w.pathfora;
    if (!pf || !waited) return;
    for (let p = payloads.shift(); p; p = payloads.shift()) {
      if (p.string_callbacks) pf.enableStringCallbacks = true;
      const segs = tag.getSegments();
      const has = (s: string) => segs.includes(s);
      const named = tag.getEntity()?.data.experiences as { id: string; variation: string }[] | undefined;
      const now = Date.now();
      const shown: unknown[] = [];
      for (const e of p.experiences) {
        if ((e.start && now < e.start) || (e.end && now >= e.end) || e.exclude.some(has)) continue;
        if (e.include[0] && !e.include.some(has)) continue;
        let v = named?.find((x) => x.id == e.id)?.variation;
        if (!v) {
          let b = bucket(`${e.id}:${tag.getid()}`);
          for (const a of [...e.variations, { id: "control", weight: e.control_weight }])
            if (a.weight > 0 && ((v = a.id), (b -= a.weight) < 0)) break;
        }
        const chosen = e.variations.find((a) => a.id == v);
        if (chosen) shown.push((pf[e.factory] as (c: object) => unknown)(chosen.widget));
        else if (v) tag.send({ "pf-widget-id": `${e.id}-control`, "pf-widget-event": "holdout" });
      }
      if (shown[0]) pf.initializeWidgets(shown);
    }
  };
  const queued = w.pathlightExperiences;
  w.pathlightExperiences = {
    push(p: Payload) {
      payloads.push(p);
      go();
    },
  };
  if (Array.isArray(queued)) payloads.push(...(queued as Payload[]));
  const settle = () => {
    waited = true;
    go();
  };
  tag.entityReady(settle);
  setTimeout(settle, 2000);
}

if (typeof window == "object") runExperiences();
