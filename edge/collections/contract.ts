/**
 * What the collections domain shows others: the RPC surfaces of its objects
 * (one class, three kinds of objects by name: the account's registry, one
 * object per collection, one per profile for its event matches).
 */
import type { CollectEvent } from "../../types/wire";
import type { UploadJob } from "./ingest/csv-job";
import type { EventDef, EventInput } from "./model/events";
import type { CollectionDef, Outcome } from "./model/collection";
import type { CollectionInput } from "./model/input";

/** A collection with its events. */
export interface CollectionWithEvents {
  def: CollectionDef;
  events: EventDef[];
}

/** A stored row as the API shows it (without links). */
export interface StoredRow {
  /** Primary key value (the data item id). */
  key: string;
  data: Record<string, unknown>;
  /** Events the row matched when it was stored. */
  matches: string[];
  created: string;
  updated: string;
}

/** A page of rows. */
export interface RowPage {
  items: StoredRow[];
  /** Cursor of the next page, or null at the end. */
  next: string | null;
  total: number;
}

/** One row on its way to a profile. */
export interface FeedItem {
  event: CollectEvent;
  /** Events the row matched. */
  matches: string[];
}

/** A row to store, already checked. */
export interface RowToStore {
  key: string;
  data: Record<string, unknown>;
  matches: string[];
}

/** What storing rows did. */
export interface CommitResult {
  created: number;
  updated: number;
  /** Rows whose profile update failed and is being retried in the background. */
  feedPending: boolean;
}

/** A person's matched events. */
export interface MatchRecord {
  name: string;
  first: number;
  last: number;
  count: number;
}

/** RPC surface of an account's collections registry (`${cid}/registry`). */
export interface RegistryRpc {
  /** Every collection of the account. */
  listCollections(): Promise<CollectionDef[]>;
  /** A collection by id or name. */
  findCollection(ref: string): Promise<CollectionDef | null>;
  /** The collections of a source, with their events. */
  sourceCollections(source: string): Promise<CollectionWithEvents[]>;
  createCollection(cid: string, input: CollectionInput): Promise<Outcome<CollectionDef>>;
  updateCollection(cid: string, ref: string, input: Partial<CollectionInput>): Promise<Outcome<CollectionDef>>;
  deleteCollection(cid: string, ref: string): Promise<Outcome<CollectionDef>>;
  listEvents(): Promise<EventDef[]>;
  putEvent(cid: string, input: EventInput): Promise<Outcome<EventDef>>;
  deleteEvent(cid: string, name: string): Promise<Outcome<EventDef>>;
}

/** RPC surface of one collection's object (`${cid}/c/${id}`). */
export interface CollectionRpc {
  /** Stores the collection's definition and events (from the registry). */
  configure(cid: string, def: CollectionDef, events: EventDef[]): Promise<void>;
  /** The definition, events and row count, or null when this object holds no collection. */
  describe(): Promise<{ def: CollectionDef; events: EventDef[]; rows: number } | null>;
  /** Which of `keys` are primary keys of stored rows. */
  existingKeys(keys: string[]): Promise<string[]>;
  /**
   * Stores checked rows (upsert by key) if the definition is still at
   * `version`, then brings rows with identifiers to their profiles.
   */
  commitRows(version: number, rows: RowToStore[]): Promise<Outcome<CommitResult>>;
  getRow(key: string): Promise<StoredRow | null>;
  deleteRow(key: string): Promise<StoredRow | null>;
  listRows(cursor: string | null, limit: number): Promise<RowPage>;
  /** Deletes the collection: rows, uploads (and their files), alarm. */
  destroy(): Promise<void>;
  /** Registers an upload waiting for its file. */
  createUpload(id: string, tokenHash: string, expires: number): Promise<UploadJob | null>;
  /** Checks an upload token and claims the upload for one file (refused once used or expired). */
  claimUpload(id: string, tokenHash: string): Promise<Outcome<UploadJob>>;
  /** The file of a claimed upload is in R2 (`size` bytes), or could not be stored (null: the URL may be used again). */
  uploadStored(id: string, size: number | null): Promise<UploadJob | null>;
  /** An upload and its progress. */
  uploadStatus(id: string): Promise<UploadJob | null>;
}

/** RPC surface of a profile's event-matches object (`${cid}/m/${profileId}`). */
export interface MatchesRpc {
  /** Records that the profile matched events at `at` (epoch ms). */
  recordMatches(names: string[], at: number): Promise<void>;
  /** The events the profile matched. */
  matches(): Promise<MatchRecord[]>;
}
