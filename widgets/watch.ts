/**
 * Interaction display conditions (scroll percentage, element visible, exit
 * intent, manual trigger) share one passive, frame-throttled scroll
 * listener and one mouseout listener, attached only while a widget waits
 * and removed by `unwatch()` (clearAll).
 */

/** A condition checked on every scroll, exit or trigger; all must hold at once. */
export type Check = (e?: Event) => boolean;

interface Waiting {
  id: string;
  checks: Check[];
  show: () => void;
}

let waiting: Waiting[] = [];
let listening = false;
let frame = 0;
/** Ids passed to `triggerWidgets` (`*`: all). */
export let triggered: Record<string, boolean> = {};

const onScroll = (): void => {
  frame ||= requestAnimationFrame(() => {
    frame = 0;
    evaluate();
  });
};

function listen(on: boolean): void {
  if (on == listening) return;
  listening = on;
  if (on) {
    addEventListener("scroll", onScroll, { passive: true });
    document.addEventListener("mouseout", evaluate);
  } else {
    removeEventListener("scroll", onScroll);
    document.removeEventListener("mouseout", evaluate);
  }
}

/** Re-checks every waiting widget (on scroll, exit intent and triggers). */
export function evaluate(e?: Event): void {
  waiting = waiting.filter((w) => !(w.checks.every((c) => c(e)) && (w.show(), 1)));
  listen(waiting.length > 0);
}

/** Shows a widget once all its checks hold (checked now and on each event). */
export function watch(id: string, checks: Check[], show: () => void): void {
  waiting.push({ id, checks, show });
  evaluate();
}

/** Stops waiting for `id`, or for every widget (also forgets triggers). */
export function unwatch(id?: string): void {
  waiting = id == null ? ((triggered = {}), []) : waiting.filter((w) => w.id != id);
  listen(waiting.length > 0);
}

/** The mouse left the window through its top edge. */
export const exitIntent: Check = (e) =>
  e?.type == "mouseout" && !(e as MouseEvent).relatedTarget && (e as MouseEvent).clientY < 50;

/** The page is scrolled at least `pct` percent. */
export const scrolled =
  (pct: number): Check =>
  () => {
    const s = document.scrollingElement || document.documentElement;
    const max = s.scrollHeight - s.clientHeight;
    return max > 0 && (s.scrollTop / max) * 100 >= pct;
  };

/** The element's top reached the middle of the viewport, or the page end was reached. */
export const visible =
  (selector: string): Check =>
  () => {
    const el = document.querySelector(selector);
    return (
      !!el && (el.getBoundingClientRect().top <= innerHeight / 2 || innerHeight + scrollY >= document.body.offsetHeight)
    );
  };
