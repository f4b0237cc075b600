/**
 * Display conditions known when a widget initializes: date, pageVisits,
 * hideAfterAction, urlContains, metaContains, showOnInit and impressions,
 * with Pathfora's semantics and storage keys.
 */
import type { ActionLimit, ImpressionLimits, ResolvedWidget } from "../types/widgets";
import { P } from "./env";
import { bump, counter, keys, read, sessionCount, write } from "./store";
import { urlAllowed } from "./url-rules";

const IMP = P + "Impressions_";
const SINCE = P + "TotalImpressionsSince_";
const VIEWS = P + "PageView";

/** Seconds since `at`. */
const age = (at: number): number => (Date.now() - at) / 1e3;

/** Counts this page view (once per page load); returns the count. */
export const countPageView = (): number => {
  const n = Math.min(counter(read(VIEWS))[0], 9998) + 1;
  write(VIEWS, n);
  return n;
};

/** `hideAfterAction`: hidden after `hideCount` actions or within `duration` s of the last. */
const actionAllowed = (limit: ActionLimit | undefined, key: string): boolean => {
  const [n, at] = counter(read(key));
  return !limit || !at || !(n >= limit.hideCount! || age(at) < limit.duration!);
};

/** `impressions`: per-widget and global limits per session, in total, buffer and duration. */
export function impressionsAllowed(w: ResolvedWidget): boolean {
  const i = w.displayConditions.impressions;
  if (!i) return true;
  const one: ImpressionLimits = i.widget || i;
  const all: ImpressionLimits = i.global || {};
  const key = IMP + w.id;
  const [n, at] = counter(read(key));
  let sessions = 0;
  let total = 0;
  let last = 0;
  for (const k of keys("sessionStorage", IMP)) sessions += sessionCount(k);
  for (const k of keys("localStorage", IMP)) {
    const [c, t] = counter(read(k));
    total += c;
    last = Math.max(last, t);
  }
  const [c, since] = counter(read(SINCE + w.id));
  const fresh = all.duration! > 0 && (!since || age(since) >= all.duration!);
  if (fresh) write(SINCE + w.id, "0|" + Date.now());
  return !(
    sessionCount(key) >= one.session! ||
    (at && age(at) < one.buffer!) ||
    (one.duration! > 0 ? at && n % one.total! == 0 && age(at) < one.duration! : n >= one.total!) ||
    sessions >= all.session! ||
    (last && age(last) < all.buffer!) ||
    (all.duration! > 0 ? !fresh && c >= all.total! : total >= all.total!)
  );
}

/** Records an impression (session and total, and every global window). */
export function countImpression(id: string): void {
  sessionCount(IMP + id, 1);
  bump(IMP + id);
  for (const k of keys("localStorage", SINCE)) {
    const [c, since] = counter(read(k));
    write(k, c + 1 + "|" + since);
  }
}

/** Whether every page-load display condition of `w` holds. */
export function allowed(w: ResolvedWidget): boolean {
  const c = w.displayConditions;
  const d = c.date || {};
  const h = c.hideAfterAction || {};
  const now = Date.now();
  return (
    !(now < Date.parse(d.start_at!) || now > Date.parse(d.end_at!)) &&
    !(counter(read(VIEWS))[0] < c.pageVisits!) &&
    actionAllowed(h.confirm, P + "Confirm_" + w.id) &&
    actionAllowed(h.cancel, P + "Cancel_" + w.id) &&
    actionAllowed(h.closed, P + "Closed_" + w.id) &&
    (!c.urlContains || urlAllowed(c.urlContains)) &&
    (!c.metaContains ||
      c.metaContains.some((rule) =>
        [...document.querySelectorAll("meta")].some((m) =>
          Object.keys(rule).every((k) => m.getAttribute(k) === rule[k]),
        ),
      )) &&
    c.showOnInit !== false &&
    impressionsAllowed(w)
  );
}
