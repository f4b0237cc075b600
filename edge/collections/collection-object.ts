import { DurableObject } from "cloudflare:workers";
import type { Env } from "../platform/env";
import type { CollectionRpc, CommitResult, MatchesRpc, MatchRecord, RegistryRpc, RowToStore } from "./contract";
import { collectionStub } from "./stubs";
import { newCsvJobProgress, readStagedChunk } from "../platform/csv-chunks";
import { csvStep, MAX_ATTEMPTS, CSV_CHUNK_BYTES, type UploadError, type UploadJob } from "./csv-job";
import type { EventDef, EventInput } from "./events";
import { deliverFeed, feedItem } from "./feed";
import type { FeedItem } from "./contract";
import { targetOf, type KeyLookup } from "./ingest";
import type { CollectionDef, CollectionInput, Outcome } from "./model";
import { Registry } from "./registry-store";
import type { CollectionWithEvents } from "./contract";
import { CollectionTables } from "./rows-store";
import type { RowPage, StoredRow } from "./contract";
import { constantTimeEqual } from "../platform/encoding";
import { uploadObjectKey } from "./uploads";

/** Feed items delivered to profiles per pass. */
const FEED_BATCH = 200;
/** Delay before retrying feed delivery that failed. */
const FEED_RETRY_MS = 5_000;
/** How long finished uploads are remembered. */
const UPLOAD_HISTORY_MS = 7 * 24 * 3600 * 1000;

/**
 * Collections storage. One class, three kinds of objects by name:
 * - `${cid}/registry`: the account's collection and event definitions;
 * - `${cid}/c/${id}`: one collection — a copy of its definition, its rows,
 *   the outbox of rows on their way to profiles, and its CSV uploads,
 *   processed chunk by chunk in alarms;
 * - `${cid}/m/${profileId}`: the events a profile matched.
 * It knows nothing of HTTP: methods answer data or an `Outcome`.
 */
export class CollectionObject extends DurableObject<Env> implements RegistryRpc, CollectionRpc, MatchesRpc {
  private readonly sql: SqlStorage;
  private readonly tables: CollectionTables;
  private readonly registry: Registry;
  /** Feed deliveries run one at a time. */
  private feedLock: Promise<unknown> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.tables = new CollectionTables(this.sql);
    this.registry = new Registry(this.sql, env);
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    return this.ctx.blockConcurrencyWhile(fn);
  }

  // ---- registry ----

  /** Every collection of the account. */
  async listCollections(): Promise<CollectionDef[]> {
    return this.registry.collections();
  }

  /** A collection by id or name. */
  async findCollection(ref: string): Promise<CollectionDef | null> {
    return this.registry.find(ref);
  }

  /** The collections of a source, with their events. */
  async sourceCollections(source: string): Promise<CollectionWithEvents[]> {
    return this.registry.source(source);
  }

  async createCollection(cid: string, input: CollectionInput): Promise<Outcome<CollectionDef>> {
    return this.serialized(() => this.registry.create(cid, input));
  }

  async updateCollection(cid: string, ref: string, input: Partial<CollectionInput>): Promise<Outcome<CollectionDef>> {
    return this.serialized(() => this.registry.update(cid, ref, input));
  }

  async deleteCollection(cid: string, ref: string): Promise<Outcome<CollectionDef>> {
    return this.serialized(() => this.registry.remove(cid, ref));
  }

  async listEvents(): Promise<EventDef[]> {
    return this.registry.events();
  }

  async putEvent(cid: string, input: EventInput): Promise<Outcome<EventDef>> {
    return this.serialized(() => this.registry.putEvent(cid, input));
  }

  async deleteEvent(cid: string, name: string): Promise<Outcome<EventDef>> {
    return this.serialized(() => this.registry.removeEvent(cid, name));
  }

  // ---- one collection ----

  /** Stores the collection's definition and events (from the registry). */
  async configure(cid: string, def: CollectionDef, events: EventDef[]): Promise<void> {
    this.tables.configure(cid, def, events);
  }

  /** The definition, events and row count, or null when this object holds no collection. */
  async describe(): Promise<{ def: CollectionDef; events: EventDef[]; rows: number } | null> {
    const config = this.tables.config();
    return config && { def: config.def, events: config.events, rows: this.tables.count() };
  }

  /** Which of `keys` are primary keys of stored rows. */
  async existingKeys(keys: string[]): Promise<string[]> {
    return this.tables.exists() ? this.tables.existing(keys) : [];
  }

  /**
   * Stores checked rows (upsert by key) if the definition is still at
   * `version`, then brings rows with identifiers to their profiles.
   */
  async commitRows(version: number, rows: RowToStore[]): Promise<Outcome<CommitResult>> {
    const config = this.tables.config();
    if (!config) return { ok: false, reason: "not_found", message: "the collection no longer exists" };
    if (config.def.version !== version)
      return {
        ok: false,
        reason: "conflict",
        message: "the collection changed while the rows were checked; send them again",
      };
    const counts = this.ctx.storage.transactionSync(() => this.store(config.def, rows));
    const delivered = await this.drainFeed();
    return { ok: true, value: { ...counts, feedPending: !delivered } };
  }

  private store(def: CollectionDef, rows: RowToStore[]): { created: number; updated: number } {
    const feed = rows.map((r) => feedItem(def, r.key, r.data, r.matches)).filter((f): f is FeedItem => f !== null);
    return this.tables.upsert(rows, feed, Date.now());
  }

  async getRow(key: string): Promise<StoredRow | null> {
    return this.tables.exists() ? this.tables.get(key) : null;
  }

  async deleteRow(key: string): Promise<StoredRow | null> {
    return this.tables.exists() ? this.tables.delete(key) : null;
  }

  async listRows(cursor: string | null, limit: number): Promise<RowPage> {
    return this.tables.exists() ? this.tables.page(cursor, limit) : { items: [], next: null, total: 0 };
  }

  /** Deletes the collection: rows, uploads (and their files), alarm. */
  async destroy(): Promise<void> {
    const config = this.tables.config();
    if (config) {
      const keys = this.tables.uploadIds().map((id) => uploadObjectKey(config.cid, id));
      if (keys.length) await this.env.UPLOADS.delete(keys);
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  /** Delivers queued rows to profiles; false when some failed (an alarm retries). */
  private drainFeed(): Promise<boolean> {
    const run = this.feedLock.then(async () => {
      const config = this.tables.config();
      if (!config) return true;
      for (;;) {
        const batch = this.tables.feed(FEED_BATCH);
        if (!batch.length) return true;
        try {
          await deliverFeed(
            this.env,
            config.cid,
            config.def,
            batch.map((b) => b.item),
          );
        } catch (err) {
          console.error("collection rows not delivered to profiles; will retry", err);
          await this.ctx.storage.setAlarm(Date.now() + FEED_RETRY_MS);
          return false;
        }
        this.tables.feedDone(batch[batch.length - 1]!.seq);
      }
    });
    this.feedLock = run.catch(() => undefined);
    return run;
  }

  // ---- CSV uploads ----

  /** Registers an upload waiting for its file. */
  async createUpload(id: string, tokenHash: string, expires: number): Promise<UploadJob | null> {
    const config = this.tables.config();
    if (!config) return null;
    const now = Date.now();
    this.tables.pruneUploads(now - UPLOAD_HISTORY_MS);
    const job: UploadJob = {
      id,
      collection: config.def.id,
      state: "awaiting_upload",
      ...newCsvJobProgress<UploadError>(0, now),
      expires,
    };
    this.tables.saveUpload(job, tokenHash);
    return job;
  }

  /** Checks an upload token and claims the upload for one file (refused once used or expired). */
  async claimUpload(id: string, tokenHash: string): Promise<Outcome<UploadJob>> {
    const found = this.tables.exists() ? this.tables.upload(id) : null;
    if (!found || !constantTimeEqual(found.tokenHash, tokenHash))
      return { ok: false, reason: "not_found", message: "no upload with that id and token" };
    if (found.job.state !== "awaiting_upload")
      return { ok: false, reason: "conflict", message: "this upload URL was already used" };
    if (found.job.expires < Date.now())
      return { ok: false, reason: "conflict", message: "this upload URL has expired; ask for a new one" };
    const job: UploadJob = { ...found.job, state: "receiving" };
    this.tables.saveUpload(job);
    return { ok: true, value: job };
  }

  /** The file of a claimed upload is in R2 (`size` bytes), or could not be stored (null: the URL may be used again). */
  async uploadStored(id: string, size: number | null): Promise<UploadJob | null> {
    const found = this.tables.upload(id);
    if (!found || found.job.state !== "receiving") return null;
    if (size === null) {
      this.tables.saveUpload({ ...found.job, state: "awaiting_upload" });
      return null;
    }
    const job: UploadJob = { ...found.job, state: "queued", size };
    this.tables.saveUpload(job);
    await this.ctx.storage.setAlarm(Date.now());
    return job;
  }

  /** An upload and its progress. */
  async uploadStatus(id: string): Promise<UploadJob | null> {
    return this.tables.exists() ? (this.tables.upload(id)?.job ?? null) : null;
  }

  /** Alarm: retries profile delivery, then processes the next chunk of the oldest pending upload. */
  override async alarm(): Promise<void> {
    const config = this.tables.config();
    if (!config) return;
    await this.drainFeed();
    const job = this.tables.nextUpload();
    if (!job) return;
    const target = targetOf(config.def, config.events);
    const lookup: KeyLookup = async (collection, keys) =>
      collection === config.def.id
        ? this.tables.existing(keys)
        : collectionStub(this.env, config.cid, collection).existingKeys(keys);
    let done: boolean;
    try {
      const key = uploadObjectKey(config.cid, job.id);
      const chunk = await readStagedChunk(this.env.UPLOADS, key, job.offset, job.size, CSV_CHUNK_BYTES);
      if (!chunk.ok) {
        this.tables.saveUpload({
          ...job,
          state: "failed",
          message: "the uploaded file is missing",
          finished: Date.now(),
        });
        return;
      }
      const result = await csvStep(target, job, chunk.bytes, chunk.final, lookup);
      // The step's rows and its progress are stored together: a retried step starts where this one did.
      this.ctx.storage.transactionSync(() => {
        this.store(config.def, result.rows);
        this.tables.saveUpload({ ...result.job, attempts: 0 });
      });
      done = result.done;
    } catch (err) {
      const attempts = job.attempts + 1;
      console.error("CSV upload step failed", err);
      const failed = attempts >= MAX_ATTEMPTS;
      this.tables.saveUpload({
        ...job,
        attempts,
        state: failed ? "failed" : job.state,
        message: failed ? "processing failed repeatedly" : job.message,
        finished: failed ? Date.now() : null,
      });
      if (!failed) await this.ctx.storage.setAlarm(Date.now() + 1000 * 2 ** attempts);
      return;
    }
    if (done) await this.env.UPLOADS.delete(uploadObjectKey(config.cid, job.id));
    await this.drainFeed();
    if (this.tables.nextUpload()) await this.ctx.storage.setAlarm(Date.now());
  }

  // ---- a profile's matches ----

  /** Records that the profile matched events at `at` (epoch ms). */
  async recordMatches(names: string[], at: number): Promise<void> {
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS match_events (name TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL)",
    );
    for (const name of names) {
      this.sql.exec(
        "INSERT INTO match_events (name, first, last, count) VALUES (?, ?, ?, 1) ON CONFLICT(name) DO UPDATE SET last = MAX(last, excluded.last), count = count + 1",
        name,
        at,
        at,
      );
    }
  }

  /** The events the profile matched. */
  async matches(): Promise<MatchRecord[]> {
    if (
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'match_events'").toArray().length === 0
    )
      return [];
    return this.sql
      .exec<{ name: string; first: number; last: number; count: number }>(
        "SELECT name, first, last, count FROM match_events ORDER BY first, name",
      )
      .toArray()
      .map((r) => ({ ...r }));
  }
}
