/**
 * What the collections routes do, between HTTP and the objects: resolving
 * collections, the all-or-nothing JSON ingest (one collection or several
 * of a source), and a profile's event matches. Throws `ApiError`s.
 */
import type { Env } from "../platform/env";
import type { AccountConfig } from "../accounts/config";
import { collectionStub, matchesStub, registryStub } from "./stubs";
import type { EventDef } from "./events";
import { missingReferences, prepareRow, targetOf, type IngestTarget, type PreparedRow } from "./ingest";
import { COLLECTION_ID, MAX_ROWS_PER_REQUEST, PAGE_MAX, type CollectionDef, type Outcome } from "./model";
import type { RowPage } from "./contract";
import { ApiError, conflict, notFound, unprocessable, type ErrorDetail } from "../platform/http/errors";
import { followAliases } from "../profiles/merge/aliases";
import { fieldOptions, profileStub } from "../profiles/profile-stub";

/** The value of an outcome, or the ApiError it stands for (422, 409, 404). */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  if (outcome.reason === "invalid") throw unprocessable(outcome.message, outcome.errors);
  if (outcome.reason === "conflict") throw conflict(outcome.message, outcome.errors);
  throw notFound(outcome.message);
}

/** A collection as its own object knows it. */
export interface ResolvedCollection {
  def: CollectionDef;
  events: EventDef[];
  rows: number;
}

/** Finds a collection by id (straight to its object) or by name (through the registry); 404 when unknown. */
export async function resolveCollection(env: Env, cid: string, ref: string): Promise<ResolvedCollection> {
  let id: string | null = COLLECTION_ID.test(ref) ? ref : null;
  if (!id) id = (await registryStub(env, cid).findCollection(ref))?.id ?? null;
  const found = id ? await collectionStub(env, cid, id).describe() : null;
  if (!found) throw notFound(`no collection "${ref}"`);
  return found;
}

/** The rows of a JSON body: one object or an array of them, within the request limit. */
export function rowsOfBody(body: unknown, path = ""): { rows: unknown[]; paths: string[] } {
  const many = Array.isArray(body);
  const rows = many ? body : [body];
  if (rows.length === 0)
    throw unprocessable("no rows in the request", [
      { path: path || "$", message: "send an object or a non-empty array" },
    ]);
  return { rows, paths: rows.map((_, i) => (many ? `${path}[${i}]` : path)) };
}

/** Rows of one collection in a request. */
export interface IngestBatch {
  target: IngestTarget;
  rows: unknown[];
  /** Error path of each row. */
  paths: string[];
}

/** What an ingest stored, per collection. */
export interface IngestSummary {
  collection: string;
  collId: string;
  received: number;
  created: number;
  updated: number;
  /** Row ids (primary keys) in request order, with the events each matched. */
  items: { id: string; matches: string[] }[];
  /** Profiles are still being updated in the background. */
  profilesPending: boolean;
}

/**
 * Checks every row of every batch (schema, primary key, foreign keys —
 * which rows of the same request satisfy), and stores them only when all
 * are valid: one bad row refuses the request (422 naming each bad field).
 * Referenced collections are written before the ones referring to them.
 */
export async function ingestBatches(env: Env, cid: string, batches: IngestBatch[]): Promise<IngestSummary[]> {
  const total = batches.reduce((n, b) => n + b.rows.length, 0);
  if (total > MAX_ROWS_PER_REQUEST)
    throw unprocessable(`at most ${MAX_ROWS_PER_REQUEST} rows per request, got ${total}; upload larger sets as CSV`);
  const errors: ErrorDetail[] = [];
  const prepared: PreparedRow[][] = batches.map((batch) => {
    const out: PreparedRow[] = [];
    batch.rows.forEach((raw, i) => {
      const r = prepareRow(batch.target, raw, batch.paths[i]!);
      if (r.ok) out.push(r.row);
      else errors.push(...r.errors);
    });
    return out;
  });
  const pending = new Map<string, Set<string>>();
  batches.forEach((b, i) => pending.set(b.target.def.id, new Set(prepared[i]!.map((r) => r.key))));
  const all = prepared.flat();
  const missing = await missingReferences(all, pending, (collection, keys) =>
    collectionStub(env, cid, collection).existingKeys(keys),
  );
  for (const errs of missing.values()) errors.push(...errs);
  if (errors.length)
    throw unprocessable(`${errors.length === 1 ? "a row is" : "rows are"} not valid; nothing was stored`, errors);

  const summaries: IngestSummary[] = new Array(batches.length);
  const order = writeOrder(batches.map((b) => b.target.def));
  for (const i of order) {
    const { def } = batches[i]!.target;
    const rows = prepared[i]!;
    const result = await collectionStub(env, cid, def.id).commitRows(
      def.version,
      rows.map((r) => ({ key: r.key, data: r.data, matches: r.matches })),
    );
    if (!result.ok && result.reason === "conflict" && i !== order[0]) {
      throw new ApiError(409, `${result.message} (rows of earlier collections in this request were stored)`);
    }
    const value = unwrap(result);
    summaries[i] = {
      collection: def.name,
      collId: def.id,
      received: rows.length,
      created: value.created,
      updated: value.updated,
      items: rows.map((r) => ({ id: r.key, matches: r.matches })),
      profilesPending: value.feedPending,
    };
  }
  return summaries;
}

/** Indexes of `defs` with referenced collections before those referring to them (cycles in given order). */
export function writeOrder(defs: CollectionDef[]): number[] {
  const order: number[] = [];
  const left = defs.map((_, i) => i);
  while (left.length) {
    const ready = left.findIndex((i) =>
      defs[i]!.foreignKeys.every(
        (fk) => fk.collection === defs[i]!.id || !left.some((j) => j !== i && defs[j]!.id === fk.collection),
      ),
    );
    const [next] = left.splice(ready < 0 ? 0 : ready, 1);
    order.push(next!);
  }
  return order;
}

/** The batches of a source-data body `{collectionName: row | rows, ...}`. */
export async function sourceBatches(env: Env, cid: string, source: string, body: unknown): Promise<IngestBatch[]> {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw unprocessable("the body must be an object of collection names to rows", [
      { path: "$", message: 'expected {"collectionName": [rows], ...}' },
    ]);
  const collections = await registryStub(env, cid).sourceCollections(source);
  if (!collections.length) throw notFound(`no source "${source}" (a source exists once a collection names it)`);
  const errors: ErrorDetail[] = [];
  const batches: IngestBatch[] = [];
  for (const [name, value] of Object.entries(body)) {
    const found = collections.find((c) => c.def.name === name || c.def.id === name);
    if (!found) {
      errors.push({
        path: name,
        message: `source "${source}" has no collection "${name}" (it has ${collections.map((c) => c.def.name).join(", ")})`,
      });
      continue;
    }
    const { rows, paths } = rowsOfBody(Array.isArray(value) ? value : [value], name);
    batches.push({ target: targetOf(found.def, found.events), rows, paths });
  }
  if (errors.length) throw unprocessable("the body names unknown collections; nothing was stored", errors);
  if (!batches.length)
    throw unprocessable("no rows in the request", [{ path: "$", message: "name at least one collection" }]);
  return batches;
}

/** A person's matched events (Intempt `events/matches`). */
export interface MatchesAnswer {
  masterId: string;
  profileIds: string[];
  matchedEvents: string[];
  lastUpdated: string | null;
}

/**
 * The events matched by the person a profile id belongs to: the id is
 * followed through merges to the surviving profile (`masterId`), and the
 * matches of every profile merged into it are combined.
 */
export async function eventMatches(env: Env, account: AccountConfig, profileId: string): Promise<MatchesAnswer> {
  const found = await followAliases(
    profileId,
    (id) => profileStub(env, account.cid, id).info(),
    (info) => info.alias,
  );
  if (!found.answer.alias && found.answer.created === null) throw notFound(`no profile "${profileId}"`);
  const master = found.id;
  const view = await profileStub(env, account.cid, master).read(fieldOptions(account));
  const merged = view && !("alias" in view) ? view.merged : [];
  const profileIds = [master, ...merged.filter((m) => m !== master)];
  const lists = await Promise.all(profileIds.map((id) => matchesStub(env, account.cid, id).matches()));
  const byName = new Map<string, { first: number; last: number }>();
  for (const m of lists.flat()) {
    const cur = byName.get(m.name);
    byName.set(m.name, { first: Math.min(cur?.first ?? Infinity, m.first), last: Math.max(cur?.last ?? 0, m.last) });
  }
  const sorted = [...byName].sort((a, b) => a[1].first - b[1].first || (a[0] < b[0] ? -1 : 1));
  const last = Math.max(0, ...sorted.map(([, v]) => v.last));
  return {
    masterId: master,
    profileIds,
    matchedEvents: sorted.map(([n]) => n),
    lastUpdated: last ? new Date(last).toISOString() : null,
  };
}

/**
 * A collection's data items from `cursor`: `limit` of them, or with `all`
 * every item page after page up to `max` (then the cursor of the rest).
 */
export async function listItems(
  env: Env,
  cid: string,
  collId: string,
  cursor: string | null,
  limit: number,
  all: boolean,
  max: number,
): Promise<RowPage> {
  const stub = collectionStub(env, cid, collId);
  const page = await stub.listRows(cursor, limit);
  while (all && page.next && page.items.length < max) {
    const more = await stub.listRows(page.next, Math.min(PAGE_MAX, max - page.items.length));
    page.items.push(...more.items);
    page.next = more.next;
  }
  return page;
}
