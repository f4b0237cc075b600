/** The Experiences API as the console calls it. */
import { api, type Session } from "../../api";
import type { Experience, ExperienceStatus, Json } from "./model";

/** Counters of a day in a report series. */
export interface DayCounters {
  day: string;
  reach: number;
  conversions: number;
  goal_conversions: number;
  conversion_rate: number;
}

/** `GET /api/experience/:id/report`. */
export interface Report {
  id: string;
  name: string;
  tactic: string;
  conversion: string;
  goal: string | null;
  totals: { reach: number; conversions: number; conversion_rate: number };
  variations: {
    id: string;
    name: string;
    reach: number;
    conversions: number;
    conversion_rate: number;
    goal_conversions: number;
    goal_rate: number;
    lift: number | null;
    series: DayCounters[];
  }[];
  control: { reach: number; goal_conversions: number; goal_rate: number; series: DayCounters[] } | null;
}

export interface Audience {
  id: string;
  name: string;
  slug_name: string;
  is_public: boolean;
}

const path = (id: string) => `/api/experience/${encodeURIComponent(id)}`;

export const listExperiences = (s: Session) =>
  api<{ data: Experience[] }>(s, "GET", "/api/experience").then((r) => r.data);
export const getExperience = (s: Session, id: string) =>
  api<{ data: Experience }>(s, "GET", path(id)).then((r) => r.data);
export const createExperience = (s: Session, body: Record<string, Json>) =>
  api<{ data: Experience }>(s, "POST", "/api/experience", body).then((r) => r.data);
export const patchExperience = (s: Session, id: string, body: Record<string, Json>) =>
  api<{ data: Experience }>(s, "PATCH", path(id), body).then((r) => r.data);
export const setStatus = (s: Session, id: string, status: ExperienceStatus) => patchExperience(s, id, { status });
/** The report; `range` (days `YYYY-MM-DD`) limits its daily series. */
export const getReport = (s: Session, id: string, range: { from?: string; to?: string } = {}) => {
  const query = new URLSearchParams(Object.entries(range).filter(([, v]) => v) as [string, string][]).toString();
  return api<{ data: Report }>(s, "GET", `${path(id)}/report${query ? `?${query}` : ""}`).then((r) => r.data);
};
export const listAudiences = (s: Session) => api<{ data: Audience[] }>(s, "GET", "/v2/segment").then((r) => r.data);
