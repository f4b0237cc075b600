/**
 * A collection's CSV uploads on its object: registering an upload, claiming
 * it for one file, queueing it once the file is in the `UPLOADS` bucket,
 * and processing it one chunk per alarm step (`csvStep`), its rows and its
 * progress stored together so a retried step starts where it did.
 */
import { constantTimeEqual } from "../../platform/encoding";
import type { Env } from "../../platform/env";
import type { Outcome } from "../model/collection";
import type { CollectionConfig, CollectionTables } from "../storage/rows-store";
import { collectionStub } from "../stubs";
import { newCsvJobProgress, readStagedChunk } from "../../platform/csv-chunks";
import { CSV_CHUNK_BYTES, csvStep, MAX_ATTEMPTS, type UploadError, type UploadJob } from "./csv-job";
import type { FeedOutbox } from "./feed-outbox";
import { type KeyLookup, targetOf } from "./prepare";
import { uploadObjectKey } from "./uploads";

/** How long finished uploads are remembered. */
const UPLOAD_HISTORY_MS = 7 * 24 * 3600 * 1000;

/** A collection object's CSV uploads, over its tables, the `UPLOADS` bucket and its outbox. */
export class UploadRunner {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
    private readonly tables: CollectionTables,
    private readonly outbox: FeedOutbox,
  ) {}

  /** Registers an upload waiting for its file (null when the object holds no collection). */
  create(id: string, tokenHash: string, expires: number): UploadJob | null {
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
  claim(id: string, tokenHash: string): Outcome<UploadJob> {
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
  async stored(id: string, size: number | null): Promise<UploadJob | null> {
    const found = this.tables.upload(id);
    if (!found || found.job.state !== "receiving") return null;
    if (size === null) {
      this.tables.saveUpload({ ...found.job, state: "awaiting_upload" });
      return null;
    }
    const job: UploadJob = { ...found.job, state: "queued", size };
    this.tables.saveUpload(job);
    await this.storage.setAlarm(Date.now());
    return job;
  }

  /** An upload and its progress. */
  status(id: string): UploadJob | null {
    return this.tables.exists() ? (this.tables.upload(id)?.job ?? null) : null;
  }

  /** The bucket keys of the collection's upload files. */
  objectKeys(cid: string): string[] {
    return this.tables.uploadIds().map((id) => uploadObjectKey(cid, id));
  }

  /**
   * Processes the next chunk of `job`: false when the step failed (the
   * upload is marked failed, or an alarm retries it with backoff).
   */
  async step(config: CollectionConfig, job: UploadJob): Promise<boolean> {
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
        return false;
      }
      const result = await csvStep(target, job, chunk.bytes, chunk.final, lookup);
      // The step's rows and its progress are stored together: a retried step starts where this one did.
      this.storage.transactionSync(() => {
        this.outbox.storeRows(config.def, result.rows);
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
      if (!failed) await this.storage.setAlarm(Date.now() + 1000 * 2 ** attempts);
      return false;
    }
    if (done) await this.env.UPLOADS.delete(uploadObjectKey(config.cid, job.id));
    return true;
  }
}
