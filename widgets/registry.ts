/**
 * Initialization: widgets get their defaults, wait for the profile when
 * they use templates or recommendations, pass their page-load display
 * conditions, then show at once or when their interaction conditions hold.
 * Targeting picks widgets by audience; `priority: "ordered"` stops at the
 * first widget that qualifies.
 */
import type {
  InitOptions,
  PreparedWidget,
  ResolvedWidget,
  TargetingConfig,
  WidgetConfig,
  WidgetDefaults,
  WidgetFactory,
  WidgetType,
} from "../types/widgets";
import { allowed, impressionsAllowed } from "./conditions";
import { baseDefaults, POSITIONS } from "./defaults";
import { entity, P, segments, whenEntity } from "./env";
import { initialized, showWidget } from "./lifecycle";
import { recommend, toContent } from "./recommend";
import { read } from "./store";
import { fill, hasTemplates } from "./templates";
import { merge } from "./util";
import { exitIntent, scrolled, triggered, visible, watch, type Check } from "./watch";

let defaults = baseDefaults();

/** Restores Pathfora's defaults (clearAll). */
export const resetDefaults = (): void => void (defaults = baseDefaults());

/** Merges the defaults and the configuration onto the widget object itself, in Pathfora's order. */
function resolve(w: ResolvedWidget): ResolvedWidget {
  merge(merge(merge(w as unknown as Record<string, unknown>, defaults.generic), defaults[w.type]), w.config);
  w.variant = "" + w.variant;
  if (w.type == "sitegate") w.layout = "modal";
  w.position ||= POSITIONS[w.layout] || "";
  if (w.success) (w.formStates ||= {}).success ||= w.success;
  return w;
}

/**
 * `pathfora.Message` etc.: the widget object of `type`, with its defaults
 * and configuration merged on. Works with and without `new` (a constructor
 * returning an object yields that object).
 */
export const prepare = (type: WidgetType): WidgetFactory =>
  function (config: WidgetConfig) {
    if (!config) throw new Error("Config object is missing");
    if (!config.id) throw new Error("All widgets must have an id value");
    return resolve({ valid: true, type, config, id: config.id } as ResolvedWidget);
  } as WidgetFactory;

/** Page-load checks, then show now or register the interaction watchers. Returns whether `w` qualifies. */
function init(w: ResolvedWidget): boolean {
  if (!initialized.has(w.id) || w.hiddenViaABTests || (w.type == "sitegate" && read(P + "Unlocked_" + w.id) == "true"))
    return false;
  if (w.pushDown) document.querySelector(w.pushDown)?.classList.add("pf-push-down");
  const c = w.displayConditions;
  const ok = w.valid && allowed(w);
  const checks: Check[] = [];
  if (c.showOnExitIntent) checks.push(exitIntent);
  if (c.displayWhenElementVisible) checks.push(visible(c.displayWhenElementVisible));
  if (c.scrollPercentageToDisplay) checks.push(scrolled(c.scrollPercentageToDisplay));
  if (c.manualTrigger) checks.push(() => triggered[w.id] || triggered["*"]!);
  if (ok) checks.length ? watch(w.id, [...checks, () => impressionsAllowed(w)], () => showWidget(w)) : showWidget(w);
  return ok;
}

/** Fills templates and fetches the recommendation first when the widget needs the profile. */
function prep(w: ResolvedWidget): boolean | Promise<boolean> {
  const rec = w.recommend && Object.keys(w.recommend).length;
  if (!rec && !hasTemplates(w)) return init(w);
  return entity().then(async () => {
    w.valid &&= fill(w);
    if (rec) {
      const [doc] = await recommend(w.recommend!);
      if (doc) w.content = [toContent(doc)];
      else w.valid &&= !!w.content?.[0];
    }
    return init(w);
  });
}

function initArray(list: PreparedWidget[], o?: InitOptions): void {
  const ws = list.map((p) => {
    if (initialized.has(p.id)) throw new Error("Cannot add two widgets with the same id");
    initialized.add(p.id);
    p.valid = true;
    return resolve(p);
  });
  if (o?.priority != "ordered") {
    ws.forEach(prep);
    return;
  }
  const next = (i: number): unknown => {
    if (i >= ws.length) return;
    const r = prep(ws[i]!);
    return r instanceof Promise ? r.then((ok) => ok || next(i + 1)) : r || next(i + 1);
  };
  next(0);
}

function targeted(t: TargetingConfig, o?: InitOptions): void {
  const all = t.target?.filter((x) => x.segment == "*") || [];
  const target = t.target?.filter((x) => !all.includes(x)) || [];
  initArray([...(t.common || []), ...all.flatMap((x) => x.widgets)], o);
  if (target.length || t.exclude)
    whenEntity((u) => {
      const seg = segments();
      let list = target
        .filter((x) => (x.segment ? seg.includes(x.segment) : typeof x.rule == "function" && x.rule(u)))
        .flatMap((x) => x.widgets);
      for (const x of t.exclude || []) if (seg.includes(x.segment)) list = list.filter((w) => !x.widgets.includes(w));
      initArray(list.length ? [...new Set(list)] : t.inverse || [], o);
    });
}

/**
 * `pathfora.initializeWidgets(widgets | targeting, config?, options?)`.
 * The legacy form `(widgets, accountId, config)` is accepted.
 */
export function initializeWidgets(
  widgets: PreparedWidget[] | TargetingConfig,
  config?: WidgetDefaults | string,
  options?: InitOptions | WidgetDefaults,
): void {
  if (typeof config == "string") [config, options] = [options as WidgetDefaults, undefined];
  if (!widgets) throw new Error("Initialize called with no widgets");
  const o = options as InitOptions | undefined;
  if (o?.priority && !/^(un)?ordered$/.test(o.priority)) throw new Error("Invalid priority defined in options.");
  merge(defaults, config);
  const go = (): void => (Array.isArray(widgets) ? initArray(widgets, o) : targeted(widgets, o));
  // Called from <head>: wait for the body the widgets render into.
  document.body ? go() : document.addEventListener("DOMContentLoaded", go);
}
