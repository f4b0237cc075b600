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
  WidgetDependencies,
  WidgetFactory,
  WidgetType,
} from "../types/widgets";
import { allowed, impressionsAllowed } from "./conditions";
import { baseDefaults, POSITIONS } from "./defaults";
import { entity, P, segments, whenEntity } from "./env";
import { initialized, showWidget } from "./lifecycle";
import { recommend, toContent } from "./content";
import { read } from "./store";
import { fill, hasTemplates, templateFields } from "./templates";
import { data } from "./track";
import { merge } from "./util";
import { exitIntent, scrolled, triggered, visible, watch, type Check } from "./watch";

let defaults = baseDefaults();
/** Counts `timeSpentOnPage` from the first initialization. */
let clock: ReturnType<typeof setInterval> | undefined;

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

/** Layouts per type, and positions per layout (Pathfora's). */
const LAYOUTS: Record<WidgetType, RegExp> = {
  message: /^(modal|slideout|bar|button|inline)$/,
  form: /^(modal|slideout|inline)$/,
  subscription: /^(modal|slideout|bar|inline)$/,
  sitegate: /^modal$/,
};
const PLACES: Record<string, RegExp> = {
  modal: /^(middle-center)?$/,
  slideout: /^(bottom-|top-)?(left|right)$/,
  bar: /^(top-(absolute|fixed|center)|bottom-(fixed|center))$/,
  button: /^(bottom-|top-)?(left|right)$/,
};

/** Pathfora's developer checks of a widget's layout, position and pushDown. */
function check(w: ResolvedWidget): void {
  const { layout, position } = w;
  if (!LAYOUTS[w.type].test(layout)) throw new Error("Invalid widget layout value");
  if (PLACES[layout] && !PLACES[layout].test(position)) {
    console.warn(position + " is not a valid position for " + layout);
    w.position = POSITIONS[layout] || "";
  }
  if (w.pushDown && (layout != "bar" || !/^top-(fixed|absolute)$/.test(w.position)))
    throw new Error("Only top positioned bar widgets may have a pushDown property");
}

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
  if (rec && w.type != "message") throw new Error("Unsupported widget type for content recommendation");
  if (rec && !/^(modal|slideout|inline)$/.test(w.layout))
    throw new Error("Unsupported layout for content recommendation");
  return entity().then(async () => {
    w.valid &&= fill(w);
    if (rec) {
      const [doc] = await recommend(w.recommend!);
      if (doc) w.content = [toContent(doc)];
      else if (!w.content?.[0]) (w.valid = false), console.warn("Could not get recommendation and no default defined");
    }
    return init(w);
  });
}

function initArray(list: PreparedWidget[], o?: InitOptions): void {
  const ws = list.map((p) => {
    if (initialized.has(p.id)) throw new Error("Cannot add two widgets with the same id");
    initialized.add(p.id);
    p.valid = true;
    resolve(p);
    check(p);
    return p;
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

/** Dependencies of initialized widgets (`getWidgetDependencies()`). */
export const dependencies: Record<string, WidgetDependencies> = {};

/**
 * What the widgets of a targeting object (or list) depend on: audiences of
 * their target and exclude entries (inverse widgets: all of them), `*` for
 * rule functions, and the fields of their entity templates.
 */
export function dependenciesOf(t: PreparedWidget[] | TargetingConfig): Record<string, WidgetDependencies> {
  const out: Record<string, WidgetDependencies> = {};
  const add = (ws: PreparedWidget[], key: keyof WidgetDependencies, v: (string | undefined)[]) =>
    ws.forEach((w) => {
      const list = v.filter(Boolean) as string[];
      if (list.length) ((out[w.id] ||= {})[key] ||= []).push(...list);
    });
  const all = Array.isArray(t) ? t : [];
  if (!Array.isArray(t)) {
    const entries = [...(t.target || []), ...(t.exclude || [])];
    for (const x of entries) {
      add(x.widgets, "segment", [x.segment]);
      if ("rule" in x && typeof x.rule == "function") add(x.widgets, "entityField", ["*"]);
      all.push(...x.widgets);
    }
    add(
      t.inverse || [],
      "segment",
      entries.map((x) => x.segment),
    );
    all.push(...(t.inverse || []), ...(t.common || []));
  }
  for (const w of all) add([w], "entityField", templateFields(w.config));
  return out;
}

function targeted(t: TargetingConfig, o?: InitOptions): void {
  for (const x of t.target || [])
    if (!x.segment == !x.rule)
      throw new Error(
        x.segment
          ? "Widget cannot have both segment and rule function specified"
          : "All targeted widgets should have segment or rule function specified",
      );
  if (t.exclude?.some((x) => !x.segment)) throw new Error("All excluded widgets should have segment specified");
  merge(dependencies, dependenciesOf(t));
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
  clock ||= setInterval(() => data.timeSpentOnPage++, 1e3);
  const go = (): void =>
    Array.isArray(widgets)
      ? (merge(dependencies, dependenciesOf(widgets)), initArray(widgets, o))
      : targeted(widgets, o);
  // Called from <head>: wait for the body the widgets render into.
  document.body ? go() : document.addEventListener("DOMContentLoaded", go);
}
