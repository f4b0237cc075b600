/**
 * What the content routes do between HTTP and the content object: a CSV
 * import job staged in R2, and a recommendation (rate budget, parameters, the
 * visitor's profile, the object's ranking). Throws `ApiError`s.
 */
import type { AccountConfig } from "../accounts/config";
import { normalizeIdentifier } from "../identity/identifiers";
import { randomBytes, toHex } from "../platform/encoding";
import type { Env } from "../platform/env";
import { ApiError } from "../platform/http/errors";
import { findProfile } from "../profiles/resolve/find-profile";
import { spendRecommendation } from "./budget";
import type { ContentProblem, RecommendedItem } from "./contract";
import { type ImportJob, MAX_IMPORT_BYTES } from "./import-job";
import { parseRecommendQuery } from "./recommend";
import { contentStub } from "./stubs";

/** A 400 or 404 naming each problem. */
export function refuse(status: 400 | 404 | 409, message: string, problems: ContentProblem[]): never {
  throw new ApiError(status, message, problems);
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** An import job as the API shows it. */
export const importView = (job: ImportJob) => ({
  id: job.id,
  state: job.state,
  size: job.size,
  processed: job.offset,
  progress: job.size > 0 ? Math.round((job.offset / job.size) * 10_000) / 10_000 : 1,
  rowsOk: job.rowsOk,
  rowsFailed: job.rowsFailed,
  errors: job.errors,
  errorsTotal: job.errorsTotal,
  ignoredColumns: job.ignoredColumns,
  message: job.message,
  created: iso(job.created)!,
  started: iso(job.started),
  finished: iso(job.finished),
});

/** Largest CSV body read without a Content-Length (bytes); with one, up to `MAX_IMPORT_BYTES`, streamed to R2. */
export const MAX_CSV_UNSIZED_BYTES = 10 * 1024 * 1024;

/**
 * Starts a CSV import job: the body is staged in the `UPLOADS` bucket
 * (streamed when its length is declared), the content object reads the
 * first chunk at once (400 for a bad header) and the rest in its alarm.
 */
export async function startCsvImport(
  env: Env,
  cid: string,
  req: Request,
  readUnsized: () => Promise<string>,
): Promise<ImportJob> {
  const id = toHex(randomBytes(16));
  const key = `content/${cid}/imports/${id}.csv`;
  const declared = req.headers.get("content-length");
  let size: number;
  if (declared !== null && /^\d+$/.test(declared) && req.body) {
    size = Number(declared);
    if (size > MAX_IMPORT_BYTES) throw new ApiError(413, `a CSV import may have at most ${MAX_IMPORT_BYTES} bytes`);
    await env.UPLOADS.put(key, size === 0 ? "" : req.body, { httpMetadata: { contentType: "text/csv" } });
  } else {
    const bytes = new TextEncoder().encode(await readUnsized());
    size = bytes.length;
    await env.UPLOADS.put(key, bytes, { httpMetadata: { contentType: "text/csv" } });
  }
  const started = await contentStub(env, cid).startImport(id, key, size);
  if (!started.ok) refuse(400, "the CSV file cannot be imported", started.problems);
  return started.job;
}

/** One import job of the account, or null when there is none by that id. */
export async function importStatus(env: Env, cid: string, id: string): Promise<ImportJob | null> {
  return /^[0-9a-f]{32}$/.test(id) ? contentStub(env, cid).importStatus(id) : null;
}

/**
 * Documents recommended to the person `field`=`raw` (unknown: by popularity
 * alone), after taking from the account's recommendation budget (429).
 * `exclude` is a page never to recommend (the asking page of a browser call).
 */
export async function recommend(
  env: Env,
  account: AccountConfig,
  field: string,
  raw: string,
  params: URLSearchParams,
  exclude: (visited: boolean) => string | null,
): Promise<RecommendedItem[]> {
  await spendRecommendation(env, account.cid, account.rate_limit_per_second);
  const parsed = parseRecommendQuery(params);
  if (!parsed.ok) refuse(parsed.status, "the recommendation parameters are not valid", parsed.problems);
  const page = exclude(parsed.value.visited);
  if (page) parsed.value.exclude.push(page);
  const value = normalizeIdentifier(field, raw, account);
  const profile = value === null ? null : await findProfile(env, account, { field, value });
  const answer = await contentStub(env, account.cid).recommend(parsed.value, profile?.content);
  if (!answer.ok) refuse(answer.status, "the content filter is not valid", answer.problems);
  return answer.data;
}
