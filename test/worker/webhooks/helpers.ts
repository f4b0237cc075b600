export { eventually } from "../helpers";
// Helpers of the subscriptions tests: the real HTTP receiver started by
// receiver-setup.ts, and shortcuts for the Subscription API.
import { inject } from "vitest";
import { admin } from "../helpers";
import type { Recorded } from "../receiver-setup";

/** Base URL of the receiver (127.0.0.1). */
export const receiver = (): string => inject("receiverUrl");

/** A request the receiver recorded. */
export type Received = Recorded;

let n = 0;
/** A fresh receiver path for one test. */
export function hookPath(name: string): string {
  return `/hook/${name}-${Date.now().toString(36)}-${(n++).toString(36)}`;
}

/** Tells the receiver how to answer the next requests to `path` (then `fallback`). */
export async function script(path: string, statuses: number[], fallback = 200, retryAfter?: string): Promise<void> {
  const res = await fetch(`${receiver()}/_control/script`, {
    method: "POST",
    body: JSON.stringify({ path, statuses, fallback, retry_after: retryAfter }),
  });
  if (!res.ok) throw new Error(`receiver script: ${res.status}`);
}

/** Every request the receiver recorded for `path`. */
export async function received(path: string): Promise<Received[]> {
  return (await fetch(`${receiver()}/_control/requests?path=${encodeURIComponent(path)}`)).json();
}

/** Requests to `path` the receiver accepted (2xx). */
export async function accepted(path: string): Promise<Received[]> {
  return (await received(path)).filter((r) => r.status >= 200 && r.status < 300);
}

/** Waits `ms`. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `POST /api/subscription?cid=` as the root admin; returns status and body. */
export async function subscribe(cid: string, body: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await admin(`/api/subscription?cid=${cid}`, "POST", body);
  return { status: res.status, body: await res.json() };
}

/** Creates an audience from SegmentQL (`FILTER ...`) and returns its record. */
export async function audience(cid: string, slug: string, filter: string): Promise<any> {
  const res = await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: slug, segment_ql: filter });
  if (res.status !== 201) throw new Error(`audience: ${res.status} ${await res.text()}`);
  return (await res.json()).data;
}

/** The delivery log of a subscription. */
export async function deliveries(
  cid: string,
  id: string,
  state?: string,
): Promise<{ counts: Record<string, number>; deliveries: any[] }> {
  const res = await admin(`/api/subscription/${id}/deliveries?cid=${cid}${state ? `&state=${state}` : ""}`);
  return (await res.json()).data;
}

/** Parses a received body (one message or an array). */
export const bodyOf = (r: Received): any => JSON.parse(r.body);
