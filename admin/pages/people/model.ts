/** What `GET /api/person/{field}/{value}` answers (edge/profiles/routes/person.ts). */
import type { FieldValue } from "../../../types/wire";

export interface Observed {
  value: FieldValue;
  first: string;
  last: string;
  count: number;
}

export interface PersonField {
  name: string;
  value: FieldValue;
  merge: "first" | "latest" | "frequent" | "unique" | "computed";
  type: string;
  observed: Observed[];
}

export interface Person {
  id: string;
  created: string;
  modified: string;
  identifiers: { field: string; value: string }[];
  merged: string[];
  events: number;
  fields: PersonField[];
  audiences: { slug: string; member: boolean; entered: string | null; exited: string | null }[];
  experiences: { id: string; variation: string; converted: boolean; goal: boolean }[];
  timeline: { at: string; type: string | null; stream: string | null; fields: Record<string, FieldValue> }[];
}

/** A value as short text: strings as they are, everything else as JSON. */
export const show = (value: FieldValue): string => (typeof value === "string" ? value : JSON.stringify(value));

/** An ISO time in the reader's locale, or a dash. */
export const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : "—");
