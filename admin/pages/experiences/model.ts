/**
 * The experience editor's model: what the API returns (`Experience`), the
 * editor's working copy (`Draft`), the body it sends, and the widget
 * configuration the preview renders — composed as the edge composes it for
 * delivery (display conditions under the variation's widget, the tactic's
 * keys, then `vehicle.detail_override` as a JSON Merge Patch).
 */

/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | JsonObject;
/** A JSON object. */
export interface JsonObject {
  [key: string]: Json;
}

export type Tactic = "drive_traffic" | "collect_leads" | "present_message" | "recommend_content" | "gate_content";
export type ExperienceStatus = "draft" | "published" | "paused" | "archived";
export type Factory = "Message" | "Form" | "Subscription" | "SiteGate";

/** A variation as the API returns it. */
export interface Variation {
  id: string;
  name: string;
  share: number;
  widget: JsonObject;
  link?: { url: string; new_tab?: boolean };
}

/** An experience as the API returns it. */
export interface Experience {
  id: string;
  name: string;
  description: string;
  tactic: Tactic;
  widget_type: string;
  variations: Variation[];
  control_share: number;
  targeting: { include: string[]; exclude: string[] };
  display_conditions: JsonObject;
  dates: { start_date: string | null; end_date: string | null };
  status: ExperienceStatus;
  vehicle: { detail_override: JsonObject | null };
  goal: { event: string } | null;
  string_callbacks: string[];
  published: string | null;
  created: string;
  updated: string;
}

/** What the editor shows for a tactic. */
export interface TacticInfo {
  label: string;
  blurb: string;
  factory: Factory;
  layouts: readonly string[];
  conversion: string;
}

/** Tactics in the editor's order (the edge's tactics.ts decides the same factories). */
export const TACTICS: Record<Tactic, TacticInfo> = {
  present_message: {
    label: "Present a message",
    blurb: "A message with a call to action; a click on it converts.",
    factory: "Message",
    layouts: ["modal", "slideout", "bar", "button", "inline"],
    conversion: "click-through",
  },
  drive_traffic: {
    label: "Drive traffic",
    blurb: "A message whose call to action sends visitors to a link.",
    factory: "Message",
    layouts: ["modal", "slideout", "bar", "button", "inline"],
    conversion: "click-through",
  },
  collect_leads: {
    label: "Collect leads",
    blurb: "A form; a submission converts.",
    factory: "Form",
    layouts: ["modal", "slideout", "inline"],
    conversion: "form submit",
  },
  recommend_content: {
    label: "Recommend content",
    blurb: "Content picked for the visitor; a click on a recommendation converts.",
    factory: "Message",
    layouts: ["modal", "slideout", "inline"],
    conversion: "recommendation click",
  },
  gate_content: {
    label: "Gate content",
    blurb: "A gate over the page, unlocked with an email; unlocking converts.",
    factory: "SiteGate",
    layouts: ["modal"],
    conversion: "gate unlock",
  },
};

/** Pathfora positions each layout accepts. */
export const POSITIONS: Record<string, readonly string[]> = {
  modal: [],
  slideout: ["bottom-right", "bottom-left", "left", "right"],
  bar: ["top-absolute", "top-fixed", "bottom-fixed"],
  button: ["bottom-right", "bottom-left", "top-right", "top-left", "left", "right"],
  inline: [],
};

/** A variation in the editor. */
export interface VariationDraft {
  id: string;
  name: string;
  share: number;
  widget: JsonObject;
  linkUrl: string;
  linkNewTab: boolean;
}

/** The editor's working copy of an experience. */
export interface Draft {
  id: string | null;
  status: ExperienceStatus;
  name: string;
  description: string;
  tactic: Tactic;
  variations: VariationDraft[];
  controlShare: number;
  include: string[];
  exclude: string[];
  display: JsonObject;
  startDate: string;
  endDate: string;
  goalEvent: string;
  /** The advanced override as typed (JSON text; empty for none). */
  overrideText: string;
}

/** A new variation's widget for a tactic. */
export function defaultWidget(tactic: Tactic): JsonObject {
  const base: JsonObject = { layout: tactic === "gate_content" ? "modal" : "slideout", position: "bottom-right" };
  if (tactic === "gate_content") delete base.position;
  switch (tactic) {
    case "collect_leads":
      return { ...base, headline: "Stay in the loop", msg: "Get our best stories by email.", okMessage: "Subscribe" };
    case "gate_content":
      return { ...base, headline: "Members read on", msg: "Tell us who you are to keep reading.", okMessage: "Unlock" };
    case "recommend_content":
      return { ...base, headline: "Picked for you", msg: "", recommend: { limit: 1 } };
    case "drive_traffic":
      return { ...base, headline: "See what's new", msg: "Our latest guides are out.", okMessage: "Take me there" };
    default:
      return { ...base, headline: "Hello there", msg: "Thanks for reading.", okMessage: "OK", cancelMessage: "Close" };
  }
}

const LETTERS = "abcdefghij";

/** A fresh variation for `tactic`, with the next free letter as its id. */
export function newVariation(tactic: Tactic, taken: readonly string[]): VariationDraft {
  const id = [...LETTERS].find((l) => !taken.includes(l)) ?? `v${taken.length + 1}`;
  return {
    id,
    name: `Variation ${id.toUpperCase()}`,
    share: 0,
    widget: defaultWidget(tactic),
    linkUrl: "",
    linkNewTab: false,
  };
}

/** A new experience's draft. */
export function emptyDraft(tactic: Tactic = "present_message"): Draft {
  return {
    id: null,
    status: "draft",
    name: "",
    description: "",
    tactic,
    variations: [{ ...newVariation(tactic, []), share: 100 }],
    controlShare: 0,
    include: [],
    exclude: [],
    display: {},
    startDate: "",
    endDate: "",
    goalEvent: "",
    overrideText: "",
  };
}

/** The editor's copy of a stored experience. */
export function draftOf(e: Experience): Draft {
  return {
    id: e.id,
    status: e.status,
    name: e.name,
    description: e.description,
    tactic: e.tactic,
    variations: e.variations.map((v) => ({
      id: v.id,
      name: v.name,
      share: v.share,
      widget: v.widget,
      linkUrl: v.link?.url ?? "",
      linkNewTab: v.link?.new_tab === true,
    })),
    controlShare: e.control_share,
    include: [...e.targeting.include],
    exclude: [...e.targeting.exclude],
    display: e.display_conditions,
    startDate: (e.dates.start_date ?? "").slice(0, 10),
    endDate: (e.dates.end_date ?? "").slice(0, 10),
    goalEvent: e.goal?.event ?? "",
    overrideText: e.vehicle.detail_override ? JSON.stringify(e.vehicle.detail_override, null, 2) : "",
  };
}

/** Is `value` a JSON object (not an array, not null)? */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `patch` merged over `target` (JSON Merge Patch, RFC 7396), inputs untouched. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** The override text read: `null` when empty, the object, or why it is not one (with line and column). */
export function parseOverride(text: string): { ok: true; value: JsonObject | null } | { ok: false; message: string } {
  if (!text.trim()) return { ok: true, value: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const lc = /line (\d+) column (\d+)/.exec(message);
    if (lc) return { ok: false, message: `not valid JSON at line ${lc[1]}, column ${lc[2]}` };
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : /end of (JSON )?input/i.test(message) ? text.length : -1;
    if (offset >= 0) {
      const before = text.slice(0, offset);
      const line = before.split("\n").length;
      const column = before.length - before.lastIndexOf("\n");
      return { ok: false, message: `not valid JSON at line ${line}, column ${column}` };
    }
    return { ok: false, message: `not valid JSON: ${message}` };
  }
  if (!isObject(value)) return { ok: false, message: "must be a JSON object of Pathfora settings" };
  if ("id" in value) return { ok: false, message: "id is assigned by Pathlight; leave it out" };
  return { ok: true, value };
}

/** The variation's Pathfora configuration as visitors get it (without the `id` Pathlight assigns). */
export function composeWidget(draft: Draft, v: VariationDraft): JsonObject {
  let widget = mergePatch({ displayConditions: draft.display }, v.widget) as JsonObject;
  if (draft.tactic === "recommend_content") widget = mergePatch(widget, { variant: "3" }) as JsonObject;
  if (draft.tactic === "drive_traffic" && v.linkUrl) {
    const name = isObject(widget.confirmAction) ? widget.confirmAction.name : undefined;
    widget = mergePatch(widget, {
      confirmAction: { name: typeof name === "string" ? name : "click-through", url: v.linkUrl, new_tab: v.linkNewTab },
    }) as JsonObject;
  }
  const override = parseOverride(draft.overrideText);
  if (override.ok && override.value) widget = mergePatch(widget, override.value) as JsonObject;
  if (isObject(widget.displayConditions) && Object.keys(widget.displayConditions).length === 0)
    delete widget.displayConditions;
  return widget;
}

/**
 * What the preview renders: the composed widget, shown at once (display
 * conditions left out) and going nowhere (links and callbacks removed).
 */
export function previewConfig(draft: Draft, v: VariationDraft): JsonObject {
  const widget = { ...composeWidget(draft, v) };
  delete widget.displayConditions;
  for (const key of ["onInit", "onLoad", "onClick", "onModalOpen", "onModalClose", "onSubmit"]) delete widget[key];
  for (const key of ["confirmAction", "cancelAction", "closeAction"]) {
    const action = widget[key];
    if (isObject(action)) {
      const { url: _url, callback: _callback, ...rest } = action;
      widget[key] = rest;
    }
  }
  if (widget.layout === "inline") widget.positionSelector = "#preview-inline";
  return widget;
}

/** The body of `POST /api/experience` or `PATCH /api/experience/:id`, from the draft. */
export function bodyOf(draft: Draft): Record<string, Json> {
  const override = parseOverride(draft.overrideText);
  return {
    name: draft.name,
    description: draft.description,
    tactic: draft.tactic,
    variations: draft.variations.map((v) => {
      const out: JsonObject = { id: v.id, name: v.name, share: v.share, widget: v.widget };
      if (draft.tactic === "drive_traffic" && v.linkUrl) out.link = { url: v.linkUrl, new_tab: v.linkNewTab };
      return out;
    }),
    control_share: draft.controlShare,
    targeting: { include: draft.include, exclude: draft.exclude },
    display_conditions: draft.display,
    dates: {
      start_date: draft.startDate ? new Date(`${draft.startDate}T00:00:00Z`).toISOString() : null,
      end_date: draft.endDate ? new Date(`${draft.endDate}T23:59:59Z`).toISOString() : null,
    },
    goal: draft.goalEvent.trim() ? { event: draft.goalEvent.trim() } : null,
    vehicle: { detail_override: override.ok ? override.value : null },
  };
}

/** Shares of the variations and the control group add up to 100 (within a hundredth). */
export function splitAddsUp(draft: Draft): boolean {
  const total = draft.variations.reduce((s, v) => s + v.share, 0) + draft.controlShare;
  return Math.abs(total - 100) < 0.01;
}

/** Splits the traffic not held out evenly over the variations (two decimals, the rest on the first). */
export function evenSplit(draft: Draft): VariationDraft[] {
  const n = draft.variations.length;
  const each = Math.floor(((100 - draft.controlShare) / n) * 100) / 100;
  const first = Math.round((100 - draft.controlShare - each * (n - 1)) * 100) / 100;
  return draft.variations.map((v, i) => ({ ...v, share: i === 0 ? first : each }));
}
