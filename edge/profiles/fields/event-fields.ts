import type { CollectEvent, FieldValue } from "../../../types/wire";

/**
 * Raw fields the tag adds for transport and session bookkeeping. They are
 * read by the edge (dedup, sessions, identity) but not stored as profile
 * fields; everything else an event carries is.
 */
const TRANSPORT_FIELDS = new Set([
  "_e",
  "_ts",
  "_uid",
  "_uido",
  "_eid",
  "_v",
  "_getid",
  "_mob",
  "_nmob",
  "_device",
  "_if",
  "_sesstart",
  "_ref",
  "_sesref",
  "_tz",
  "_ul",
  "_sz",
  "_stream",
  "_uidn",
  "_idsig",
  "_content",
  "_content_doc",
]);

/** Profile fields an event contributes: site fields, `url`, `utm_*`, ... */
export function profileFieldsOf(event: CollectEvent): [string, FieldValue][] {
  const out: [string, FieldValue][] = [];
  for (const key in event) {
    if (TRANSPORT_FIELDS.has(key) || key.startsWith("_content.")) continue;
    const value = event[key];
    if (value === undefined || value === null || value === "") continue;
    out.push([key, value]);
  }
  return out;
}

/** Whether the event starts a new session (the tag's `_sesstart` flag). */
export function startsSession(event: CollectEvent): boolean {
  const s = event._sesstart;
  return s === true || s === 1 || s === "1" || s === "true";
}

/**
 * When an event happened: its `_ts` (milliseconds, or seconds, since the
 * epoch; a number or numeric text) when given, never later than its arrival
 * (a skewed clock cannot pin a value); otherwise its arrival time.
 */
export function eventTime(event: CollectEvent, now: number): number {
  const raw = event._ts;
  const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || n <= 0) return now;
  const ms = n < 1e11 ? n * 1000 : n;
  return Math.min(Math.floor(ms), now);
}
