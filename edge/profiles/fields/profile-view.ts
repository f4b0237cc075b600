import type { FieldValue } from "../../../types/wire";
import type { FieldOptions, ProfileView, RefusedMerge } from "../contract";
import { combine } from "../merge/merge-strategies";
import type { ProfileStores } from "../storage/profile-stores";
import { coerceField } from "./field-coercion";
import { scoreFieldValues } from "./profile-activity";

/** The profile's fields and metadata; with `only`, the stored fields outside it are left out. */
export function buildView(s: ProfileStores, options: FieldOptions, only?: ReadonlySet<string>): ProfileView {
  const fields: Record<string, FieldValue> = {};
  for (const [name, byValue] of s.observations.observations()) {
    if (only && !only.has(name)) continue;
    const settings = options.fields?.[name];
    const combined = combine([...byValue.values()], settings?.merge ?? "latest");
    // A copy, so callers never hold the cached observations; a string, number or boolean needs none.
    const value = typeof combined === "object" && combined !== null ? structuredClone(combined) : combined;
    fields[name] = settings?.type ? coerceField(value, settings.type) : value;
  }
  const identifiers = s.identifiers.identifiers().map((k) => ({ ...k }));
  const created = s.meta.num("created");
  const modified = s.meta.num("modified");
  const iso = (ms: number) => new Date(ms).toISOString();
  fields._uids = identifiers.filter((k) => k.field === "_uid").map((k) => k.value);
  fields._created = iso(created);
  fields._modified = iso(modified);
  const sessions = s.meta.num("sessions");
  fields.visitct = sessions;
  fields._sessions = sessions;
  if (s.meta.get("first_visit")) fields.first_visit = iso(s.meta.num("first_visit"));
  if (s.meta.get("last_visit")) fields.last_visit = iso(s.meta.num("last_visit"));
  Object.assign(fields, scoreFieldValues(s.activity.current(), Date.now()));
  Object.assign(fields, s.xp.fields());
  for (const key of identifiers)
    if (key.field !== "_uid" && fields[key.field] === undefined) fields[key.field] = key.value;
  Object.assign(fields, s.content.fields(Date.now()));
  const merged = s.absorbed.sorted();
  return {
    id: s.meta.get("id")!,
    cid: s.meta.get("cid")!,
    created,
    modified,
    identifiers,
    fields,
    merged,
    events: s.meta.num("events"),
    refusedMerges: JSON.parse(s.meta.get("refused_merges") ?? "[]") as RefusedMerge[],
    segments: [],
    ...(s.content.has() ? { content: s.content.state() } : {}),
  };
}

/** Current JSON values of the trigger fields. */
export function triggerValues(s: ProfileStores, options: FieldOptions): Record<string, string> {
  const fields = buildView(s, options, new Set(options.triggerFields)).fields;
  return Object.fromEntries((options.triggerFields ?? []).map((f) => [f, JSON.stringify(fields[f] ?? null)]));
}
