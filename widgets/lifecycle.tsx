/**
 * Opening and closing widgets: one root element per widget (id = widget
 * id, Pathfora's class names) rendered with Preact, the `opened` class one
 * tick later (CSS transitions), initial focus and focus return for dialogs,
 * impressions, hideAfter, and clearing.
 */
import { render } from "preact";
import type { ResolvedWidget } from "../types/widgets";
import { countImpression } from "./conditions";
import { chunk } from "./env";
import { cancel, later } from "./timer";
import { track } from "./track";
import { call } from "./util";
import { FOCUSABLE, trapFocus } from "./view/dialog";
import { Widget, type WidgetView } from "./view/widget";
import { triggered, unwatch } from "./watch";

/** Open widgets: what to close and where focus returns. */
const opened = new Map<string, [w: ResolvedWidget, root: HTMLElement, back: Element | null]>();
/** Every root in the page, open or closing, with what releases its focus trap. */
const mounted = new Map<HTMLElement, (() => void) | undefined>();
/** Ids initialized and not closed or cleared since (duplicates are refused). */
export const initialized = new Set<string>();

const unmount = (root: HTMLElement): void => {
  mounted.get(root)?.();
  render(null, root);
  root.remove();
  mounted.delete(root);
};

const pushDown = (w: ResolvedWidget, on: boolean): void =>
  void (w.pushDown && document.querySelector(w.pushDown)?.classList.toggle("opened", on));

/** Shows a widget now, or after its `showDelay`. */
export function showWidget(w: ResolvedWidget): void {
  call(w.onInit, "widgetInitialized", { config: w });
  const delay = w.displayConditions?.showDelay;
  delay ? later(w.id, delay, () => open(w)) : open(w);
}

let forms: Promise<unknown> | undefined;

function open(w: ResolvedWidget): void {
  const { id, layout } = w;
  // Form-type widgets open once their chunk is there.
  if (w.type != "message" && !window.pathfora!._Form)
    return void (forms ||= new Promise((onload, no) =>
      Object.assign(chunk("pathfora.forms.min.js") as object, {
        onload,
        onerror: () => no(new Error("Could not load pathfora.forms.min.js")),
      }),
    )).then(() => initialized.has(id) && open(w));
  // Pathfora's legacy form: inline widgets named their host in `position`.
  const sel = w.positionSelector ?? (layout == "inline" ? w.position : undefined);
  const host = sel == null ? document.body : document.querySelector(sel);
  if (opened.has(id)) return;
  if (!host) throw new Error("Widget could not be initialized in " + sel);
  track("show", w);
  countImpression(id);
  const root = host.appendChild(document.createElement("div"));
  const cls = (prefix: string, v: unknown) => (v ? " " + prefix + v : "");
  root.id = id;
  root.className =
    `pf-widget pf-${w.type} pf-widget-${layout}` +
    cls("pf-position-", w.position) +
    cls("", w.pushDown && "pf-has-push-down") +
    cls("pf-origin-", w.origin) +
    cls("pf-widget-variant-", w.variant) +
    cls("pf-theme-", w.theme) +
    cls("", w.className) +
    cls("", w.responsive === false && "pf-mobile-hide");
  if (layout != "modal" && layout != "button") {
    root.setAttribute("role", "region");
    root.setAttribute("aria-labelledby", id + (w.headline && layout != "bar" ? "-h" : "-m"));
  }
  if (w.theme == "custom") for (const k in w.colors) root.style.setProperty("--pf-" + k, w.colors[k as "text"]!);
  opened.set(id, [w, root, document.activeElement]);
  const view: WidgetView = {};
  const draw = (): void =>
    render(
      <Widget
        w={w}
        root={root}
        close={closeWidget}
        view={view}
        update={(change) => (Object.assign(view, change), draw())}
      />,
      root,
    );
  draw();
  mounted.set(root, layout == "modal" ? trapFocus(root) : undefined);
  later(id, 0.05, () => {
    root.classList.add("opened");
    // Pathfora stacks the content unit in narrow widgets (and always in slideouts).
    root.querySelector(".pf-content-unit")?.classList.toggle("stack", layout == "slideout" || root.offsetWidth < 650);
    pushDown(w, true);
    call(w.onLoad, "widgetLoaded", { config: w, widget: root });
    if (layout == "modal") {
      call(w.onModalOpen, "modalOpened", { config: w, widget: root });
      root.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    }
  });
  const hide = w.displayConditions?.hideAfter;
  if (hide) later(id, hide, () => closeWidget(id, true));
}

/** Closes an open widget (tracked as `close` unless `noTrack`); focus returns where it was. */
export function closeWidget(id: string, noTrack?: boolean): void {
  const o = opened.get(id);
  if (!o) return;
  const [w, root, back] = o;
  if (!noTrack) track("close", w);
  forget(id);
  root.classList.remove("opened");
  mounted.get(root)?.();
  mounted.set(root, undefined);
  pushDown(w, false);
  if (w.layout == "modal" || root.contains(document.activeElement)) (back as HTMLElement | null)?.focus?.();
  later("", matchMedia("(prefers-reduced-motion:reduce)").matches ? 0 : 0.3, () => unmount(root));
}

const forget = (id: string): void => {
  opened.delete(id);
  initialized.delete(id);
  cancel(id);
};

/** Removes the given widgets and forgets their timers, watchers and triggers. */
export function clearById(ids: string[]): void {
  for (const id of ids) {
    forget(id);
    unwatch(id);
    delete triggered[id];
    mounted.forEach((_, r) => r.id == id && unmount(r));
  }
}

/** Removes every widget and stops every timer and watcher. */
export function clearAll(): void {
  mounted.forEach((_, r) => unmount(r));
  opened.clear();
  initialized.clear();
  cancel();
  unwatch();
}
