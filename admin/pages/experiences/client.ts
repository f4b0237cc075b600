/** The Experiences API as the console calls it. */
import type { ExperienceReport, ReportDay } from "../../../types/experience-report";
import { api, type Session } from "../../api";
import type { Experience, ExperienceStatus, Json } from "./model";

/** Counters of a day in a report series. */
export type DayCounters = ReportDay;

/** `GET /api/experience/:id/report`. */
export type Report = ExperienceReport;

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
