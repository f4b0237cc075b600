/**
 * What the content routes do between HTTP and the content object: a CSV
 * import staged in R2, and a recommendation (rate budget, parameters, the
 * visitor's profile, the object's ranking). Throws `ApiError`s.
 */
import type { AccountConfig } from "../accounts/config";
import { normalizeIdentifier } from "../identity/identifiers";
import { randomBytes, toHex } from "../platform/encoding";
import type { Env } from "../platform/env";
import { ApiError } from "../platform/http/errors";
import { findProfile } from "../profiles/service";
import { spendRecommendation } from "./budget";
import type { ContentProblem, ImportReport, RecommendedItem } from "./contract";
import { parseRecommendQuery } from "./recommend";
import { contentStub } from "./stubs";

/** A 400 or 404 naming each problem. */
export function refuse(status: 400 | 404 | 409, message: string, problems: ContentProblem[]): never {
  throw new ApiError(status, message, problems);
}

/** Imports a CSV file of documents: staged in the `UPLOADS` bucket, read by the object (400 when it cannot be imported). */
export async function importCsv(env: Env, cid: string, text: string): Promise<ImportReport> {
  const key = `content/${cid}/${Date.now()}-${toHex(randomBytes(8))}.csv`;
  await env.UPLOADS.put(key, text);
  const result = await contentStub(env, cid).importCsv(key);
  if (!result.ok) {
    await env.UPLOADS.delete(key);
    refuse(400, "the CSV file cannot be imported", result.problems);
  }
  return result.report;
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
