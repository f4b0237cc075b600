/**
 * What the Segment API does between HTTP and the objects: saving an
 * audience (SegmentQL text or a v2 body) then refreshing the isolate's
 * account, renames and deletions that also drop the audience's index,
 * groups, reevaluation jobs and sizes. Throws `ApiError`s.
 */
import { accountStub, refreshAccountCache } from "../accounts/settings/config";
import { hexId, type AudienceGroup, type AudienceJob, type AudienceRecord } from "../accounts/records/audience-records";
import type { Env } from "../platform/env";
import { badRequest, notFound, unprocessable } from "../platform/http/errors";
import { ancestors, checkDeletable, definitionOf, parseText, saveSegment } from "./definitions";
import { audienceSizes, dropAudience } from "./index-shards";
import type { AudienceInput, GroupInput } from "./schemas";

/** An audience with its current size (members across the index shards). */
export type SizedAudience = AudienceRecord & { size: number };

/** Adds sizes to records. */
export async function withSizes(env: Env, cid: string, records: AudienceRecord[]): Promise<SizedAudience[]> {
  // One or a few audiences: count just those (an index lookup per shard), not every audience's members.
  const sizes = await audienceSizes(env, cid, records.length <= 10 ? records.map((r) => r.slug_name) : undefined);
  return records.map((r) => ({ ...r, size: sizes[r.slug_name] ?? 0 }));
}

/** An audience by id or slug, or 404. */
export async function findAudience(env: Env, cid: string, id: string): Promise<AudienceRecord> {
  const seg = await accountStub(env, cid).getAudience(id);
  if (!seg) throw notFound(`no audience with id or slug ${id}`);
  return seg;
}

/** Every audience of the account, with sizes. */
export async function listAudiences(env: Env, cid: string): Promise<SizedAudience[]> {
  return withSizes(env, cid, await accountStub(env, cid).listAudiences());
}

/** The audiences one INCLUDEs, transitively, with sizes. */
export async function ancestorsOf(env: Env, cid: string, id: string): Promise<SizedAudience[]> {
  const seg = await findAudience(env, cid, id);
  return withSizes(env, cid, ancestors(await accountStub(env, cid).listAudiences(), seg));
}

/** Creates or updates the audience SegmentQL text names by its ALIAS; `created` tells which. */
export async function upsertFromText(
  env: Env,
  cid: string,
  text: string,
): Promise<{ audience: SizedAudience; created: boolean }> {
  const parsed = parseText(text);
  if (!parsed.alias)
    throw badRequest("the SegmentQL needs an ALIAS: it names the audience", [
      { path: "segment_ql", message: "add ALIAS <slug>" },
    ]);
  if (parsed.table !== "user") throw unprocessable("only the user table has audiences");
  const rpc = accountStub(env, cid);
  const existing = await rpc.getAudience(parsed.alias);
  const saved = await saveSegment(rpc, { slug_name: parsed.alias, ast: parsed.ast }, existing);
  await refreshAccountCache(env, cid);
  return { audience: (await withSizes(env, cid, [saved]))[0]!, created: !existing };
}

/** Creates an audience from a v2 body (ast or segment_ql; the slug from `slug_name` or the ALIAS). */
export async function createAudience(env: Env, cid: string, body: AudienceInput): Promise<SizedAudience> {
  const def = definitionOf(body, body.slug_name);
  const slug = body.slug_name ?? def.alias;
  if (!slug) throw unprocessable("slug_name is required", [{ path: "slug_name", message: "required" }]);
  const saved = await saveSegment(accountStub(env, cid), { ...body, slug_name: slug, ast: def.ast }, null);
  await refreshAccountCache(env, cid);
  return (await withSizes(env, cid, [saved]))[0]!;
}

/** Updates an audience; a new slug drops the old one's index entries. */
export async function updateAudience(
  env: Env,
  cid: string,
  existing: AudienceRecord,
  body: AudienceInput,
): Promise<SizedAudience> {
  const def = definitionOf(body, body.slug_name ?? existing.slug_name);
  const saved = await saveSegment(
    accountStub(env, cid),
    { ...body, slug_name: body.slug_name ?? existing.slug_name, ast: def.ast ?? existing.ast },
    existing,
  );
  if (saved.slug_name !== existing.slug_name) await dropAudience(env, cid, existing.slug_name);
  await refreshAccountCache(env, cid);
  return (await withSizes(env, cid, [saved]))[0]!;
}

/** Deletes an audience (409 while others INCLUDE it) and its index entries; profiles stay. */
export async function deleteAudience(env: Env, cid: string, id: string): Promise<void> {
  const rpc = accountStub(env, cid);
  const seg = await findAudience(env, cid, id);
  await checkDeletable(rpc, seg);
  await rpc.deleteAudience(seg.id);
  await dropAudience(env, cid, seg.slug_name);
  await refreshAccountCache(env, cid);
}

/** Starts re-evaluating every profile of the account against an audience (asynchronous job). */
export async function startReevaluation(env: Env, cid: string, id: string): Promise<AudienceJob> {
  const seg = await findAudience(env, cid, id);
  const now = new Date().toISOString();
  const job: AudienceJob = {
    id: hexId(),
    segment_id: seg.id,
    type: "reevaluate",
    state: "queued",
    progress: { done: 0, total: null, shard: 0, changed: 0 },
    created: now,
    updated: now,
  };
  await accountStub(env, cid).startJob(job);
  return job;
}

/** Creates an audience group. */
export async function createGroup(env: Env, cid: string, body: GroupInput): Promise<AudienceGroup> {
  const now = new Date().toISOString();
  const group: AudienceGroup = {
    id: hexId(),
    name: body.name,
    description: body.description ?? "",
    created: now,
    updated: now,
  };
  await accountStub(env, cid).putGroup(group);
  return group;
}

/** The group `id`, or 404. */
export async function findGroup(env: Env, cid: string, id: string): Promise<AudienceGroup> {
  const current = (await accountStub(env, cid).listGroups()).find((g) => g.id === id);
  if (!current) throw notFound("no group with that id");
  return current;
}

/** Renames or describes a group. */
export async function updateGroup(
  env: Env,
  cid: string,
  current: AudienceGroup,
  body: GroupInput,
): Promise<AudienceGroup> {
  const group = {
    ...current,
    name: body.name,
    description: body.description ?? current.description,
    updated: new Date().toISOString(),
  };
  await accountStub(env, cid).putGroup(group);
  return group;
}
