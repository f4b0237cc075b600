import { api, type Session } from "../../api";

/** An audience as the Segment API v2 answers it. */
export interface Audience {
  id: string;
  name: string;
  slug_name: string;
  description: string;
  is_public: boolean;
  kind: "rule" | "manual";
  ast: unknown;
  segment_ql: string;
  groups: string[];
  size: number;
  created: string;
  updated: string;
}

/** An audience group. */
export interface AudienceGroup {
  id: string;
  name: string;
}

/** A problem in SegmentQL text, where it is (line/column 0: no place). */
export interface SqlProblem {
  line: number;
  column: number;
  message: string;
  expected?: string[];
}

/** What `POST /v2/segment/validate` answers. */
export interface Validation {
  valid: boolean;
  table: string | null;
  alias: string | null;
  ast: unknown;
  segment_ql: string | null;
  errors: SqlProblem[];
}

type Envelope<T> = { data: T };

export const listAudiences = (s: Session) => api<Envelope<Audience[]>>(s, "GET", "/v2/segment").then((r) => r.data);
export const listGroups = (s: Session) =>
  api<Envelope<AudienceGroup[]>>(s, "GET", "/v2/segment/group").then((r) => r.data);
export const getAudience = (s: Session, id: string) =>
  api<Envelope<Audience>>(s, "GET", `/v2/segment/${encodeURIComponent(id)}`).then((r) => r.data);
export const validateSql = (s: Session, text: string) =>
  api<Envelope<Validation>>(s, "POST", "/v2/segment/validate", { segment_ql: text }).then((r) => r.data);

/** Reads "line 3, column 14: ..." out of a save error's message (the Segment API's wording). */
export function problemOfMessage(message: string): SqlProblem {
  const m = /line (\d+), column (\d+):?\s*/.exec(message);
  if (!m) return { line: 0, column: 0, message };
  return {
    line: Number(m[1]),
    column: Number(m[2]),
    message: message.replace(m[0], "").replace(/ at line \d+, column \d+/, ""),
  };
}

/** Navigates within the console (hash routes). */
export const go = (hash: string): void => {
  location.hash = hash;
};
