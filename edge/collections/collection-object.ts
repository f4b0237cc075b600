import { DurableObject } from "cloudflare:workers";
import type { Env } from "../platform/env";
import type {
  CollectionRpc,
  CollectionWithEvents,
  CommitResult,
  MatchesRpc,
  MatchRecord,
  RegistryRpc,
  RowPage,
  RowToStore,
  StoredRow,
} from "./contract";
import type { UploadJob } from "./ingest/csv-job";
import { FeedOutbox } from "./ingest/feed-outbox";
import { UploadRunner } from "./ingest/upload-runner";
import type { CollectionDef, Outcome } from "./model/collection";
import type { EventDef, EventInput } from "./model/events";
import type { CollectionInput } from "./model/input";
import { MatchesStore } from "./storage/matches-store";
import { Registry } from "./storage/registry-store";
import { CollectionTables } from "./storage/rows-store";

/**
 * Collections storage. One class, three kinds of objects by name:
 * - `${cid}/registry`: the account's collection and event definitions
 *   (`storage/registry-store.ts`);
 * - `${cid}/c/${id}`: one collection — a copy of its definition, its rows
 *   (`storage/rows-store.ts`), the outbox of rows on their way to profiles
 *   (`ingest/feed-outbox.ts`), and its CSV uploads, processed chunk by
 *   chunk in alarms (`ingest/upload-runner.ts`);
 * - `${cid}/m/${profileId}`: the events a profile matched
 *   (`storage/matches-store.ts`).
 * It knows nothing of HTTP: methods answer data or an `Outcome`.
 */
export class CollectionObject extends DurableObject<Env> implements RegistryRpc, CollectionRpc, MatchesRpc {
  private readonly tables: CollectionTables;
  private readonly registry: Registry;
  private readonly outbox: FeedOutbox;
  private readonly uploads: UploadRunner;
  private readonly matchStore: MatchesStore;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.tables = new CollectionTables(ctx.storage.sql);
    this.registry = new Registry(ctx.storage.sql, env);
    this.outbox = new FeedOutbox(ctx.storage, env, this.tables);
    this.uploads = new UploadRunner(ctx.storage, env, this.tables, this.outbox);
    this.matchStore = new MatchesStore(ctx.storage.sql);
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
    const counts = this.ctx.storage.transactionSync(() => this.outbox.storeRows(config.def, rows));
    const delivered = await this.outbox.drain();
    return { ok: true, value: { ...counts, feedPending: !delivered } };
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
      const keys = this.uploads.objectKeys(config.cid);
      if (keys.length) await this.env.UPLOADS.delete(keys);
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  // ---- CSV uploads ----

  /** Registers an upload waiting for its file. */
  async createUpload(id: string, tokenHash: string, expires: number): Promise<UploadJob | null> {
    return this.uploads.create(id, tokenHash, expires);
  }

  /** Checks an upload token and claims the upload for one file (refused once used or expired). */
  async claimUpload(id: string, tokenHash: string): Promise<Outcome<UploadJob>> {
    return this.uploads.claim(id, tokenHash);
  }

  /** The file of a claimed upload is in R2 (`size` bytes), or could not be stored (null: the URL may be used again). */
  async uploadStored(id: string, size: number | null): Promise<UploadJob | null> {
    return this.uploads.stored(id, size);
  }

  /** An upload and its progress. */
  async uploadStatus(id: string): Promise<UploadJob | null> {
    return this.uploads.status(id);
  }

  /** Alarm: retries profile delivery, then processes the next chunk of the oldest pending upload. */
  override async alarm(): Promise<void> {
    const config = this.tables.config();
    if (!config) return;
    await this.outbox.drain();
    const job = this.tables.nextUpload();
    if (!job) return;
    if (!(await this.uploads.step(config, job))) return;
    await this.outbox.drain();
    if (this.tables.nextUpload()) await this.ctx.storage.setAlarm(Date.now());
  }

  // ---- a profile's matches ----

  /** Records that the profile matched events at `at` (epoch ms). */
  async recordMatches(names: string[], at: number): Promise<void> {
    this.matchStore.record(names, at);
  }

  /** The events the profile matched. */
  async matches(): Promise<MatchRecord[]> {
    return this.matchStore.list();
  }
}
