/**
 * The content a profile viewed: its topic affinities and visited documents
 * (`AffinityState`, one JSON value in the profile object's meta table).
 *
 * The collect route asks the content domain to discover the document of
 * each page view and puts what it found on the event as the transport field
 * `_content_doc` (`{url, topics}`); the profile object hands each event to
 * `record` and adds `fields` to its view, so SegmentQL can read
 * `topic_affinity.hiking`, `topic_visited.hiking`, `topic_last_visit.hiking`,
 * `content_visited` and `content_views` (computed at the time of reading,
 * so affinities decay between events).
 */
import type { CollectEvent, FieldValue } from "../../../types/wire";
import { eventTime } from "../fields/event-fields";
import { affinityFields, emptyAffinityState, mergeAffinityStates, recordView, type AffinityState } from "./affinity";
import { type AffinityThresholds, nextAffinityChange } from "./affinity-schedule";

/** The transport field carrying the discovered document of a page view. */
export const CONTENT_DOC_FIELD = "_content_doc";

/** A discovered document as it travels on an event. */
export interface ViewedDocument {
  url: string;
  topics: Record<string, number>;
}

/** The discovered document an event carries, or null. */
export function viewedDocument(event: CollectEvent): ViewedDocument | null {
  const v = event[CONTENT_DOC_FIELD];
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const { url, topics } = v as Record<string, unknown>;
  if (typeof url !== "string" || url === "") return null;
  const weights: Record<string, number> = {};
  if (topics && typeof topics === "object" && !Array.isArray(topics))
    for (const [k, w] of Object.entries(topics)) if (typeof w === "number") weights[k] = w;
  return { url, topics: weights };
}

/** The SegmentQL fields {@link ContentViews.fields} adds to a profile's view. */
export const CONTENT_FIELDS = [
  "topic_affinity",
  "topic_visited",
  "topic_last_visit",
  "content_visited",
  "content_views",
] as const satisfies readonly (keyof ReturnType<typeof affinityFields>)[];

/** Storage the profile object lends: get and set one meta value. */
export interface MetaAccess {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

const KEY = "content_affinity";

/** The content views of one profile, stored through the profile object's meta table. */
export class ContentViews {
  /** The state parsed from its stored JSON, kept while that text is unchanged (an event reads it several times). */
  private parsed: { raw: string; state: AffinityState } | null = null;

  constructor(private readonly meta: MetaAccess) {}

  /** The stored state (empty when the profile viewed no content). Treat it as read-only. */
  state(): AffinityState {
    const raw = this.meta.get(KEY);
    if (!raw) return emptyAffinityState();
    if (this.parsed?.raw !== raw) this.parsed = { raw, state: JSON.parse(raw) as AffinityState };
    return this.parsed.state;
  }

  /** Whether the profile viewed any content. */
  has(): boolean {
    return this.meta.get(KEY) !== null;
  }

  /** Records the document a page view carries; returns its URL when it is the profile's first visit. */
  record(event: CollectEvent, now: number): string | null {
    const doc = viewedDocument(event);
    if (!doc) return null;
    const result = recordView(this.state(), doc, eventTime(event, now));
    this.meta.set(KEY, JSON.stringify(result.state));
    return result.firstVisit ? doc.url : null;
  }

  /** Folds in the content state of a profile merged into this one. */
  absorb(other: AffinityState): void {
    this.meta.set(KEY, JSON.stringify(this.has() ? mergeAffinityStates(this.state(), other) : other));
  }

  /** The SegmentQL fields of the content viewed (none when nothing was viewed). */
  fields(now: number): Record<string, FieldValue> {
    return this.has() ? { ...affinityFields(this.state(), now) } : {};
  }

  /** When an affinity next crosses a threshold audiences read (null: never without a view). */
  nextChange(now: number, thresholds: AffinityThresholds): number | null {
    return this.has() ? nextAffinityChange(this.state(), now, thresholds) : null;
  }
}
