/**
 * The collections API's response shapes (Intempt's HAL style: `_links`,
 * `_embedded`), built from stored definitions, rows and upload jobs.
 */
import type { Context } from "hono";
import type { AppEnv } from "../../accounts/app-env";
import { PREFIX_HEADER } from "../../platform/http/prefix";
import type { StoredRow } from "../contract";
import type { UploadJob } from "../ingest/csv-job";
import type { CollectionDef } from "../model/collection";
import type { IngestSummary } from "../service";

type C = Context<AppEnv>;

/** The worker's external base URL (origin plus any first-party path prefix). */
export const baseOf = (c: C) => `${new URL(c.req.url).origin}${c.req.header(PREFIX_HEADER) ?? ""}`;
/** `<base>/v1/<cid>`, the root of an account's collections API. */
export const accountBase = (c: C, cid: string) => `${baseOf(c)}/v1/${encodeURIComponent(cid)}`;
/** `<base>/v1/<cid>/collections`. */
export const collectionsUrl = (c: C, cid: string) => `${accountBase(c, cid)}/collections`;

/** A collection as the API answers it, with its links (and its row count when known). */
export function collectionView(c: C, cid: string, def: CollectionDef, rows?: number) {
  const self = `${collectionsUrl(c, cid)}/${def.id}`;
  return {
    ...def,
    ...(rows !== undefined ? { rows } : {}),
    _links: { self: { href: self }, data: { href: `${self}/data` } },
  };
}

/** A decimal id as a JSON number (Intempt's ids are numbers) when it is exact as one; otherwise the string. */
export function numericId(id: string): number | string {
  return /^(0|[1-9]\d*)$/.test(id) && Number.isSafeInteger(Number(id)) ? Number(id) : id;
}

/** A data item as the API answers it. */
export function itemView(c: C, cid: string, collId: string, row: StoredRow) {
  return {
    collId: numericId(collId),
    id: numericId(row.key),
    data: row.data,
    matches: row.matches,
    created: row.created,
    updated: row.updated,
    _links: { self: { href: `${collectionsUrl(c, cid)}/${collId}/data/${encodeURIComponent(row.key)}` } },
  };
}

/** A CSV upload's progress as the API answers it. */
export function uploadView(c: C, cid: string, job: UploadJob) {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: job.id,
    collId: job.collection,
    state: job.state,
    size: job.size,
    bytesProcessed: job.offset,
    rowsOk: job.rowsOk,
    rowsFailed: job.rowsFailed,
    errors: job.errors,
    errorsTotal: job.errorsTotal,
    errorsTruncated: job.errorsTotal > job.errors.length,
    ignoredColumns: job.ignoredColumns,
    message: job.message,
    created: iso(job.created)!,
    expires: iso(job.expires)!,
    started: iso(job.started),
    finished: iso(job.finished),
    _links: { self: { href: `${accountBase(c, cid)}/uploads/${job.id}` } },
  };
}

/** The 201 answer of a data write. */
export function ingested(c: C, summaries: IngestSummary[]) {
  const rows = summaries.reduce((n, s) => n + s.received, 0);
  return c.json({ status: 201 as const, message: `stored ${rows} row${rows === 1 ? "" : "s"}`, data: summaries }, 201);
}
