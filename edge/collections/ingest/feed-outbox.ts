/**
 * The outbox of a collection's rows on their way to profiles: rows are
 * stored together with their feed items, then delivered in batches, one
 * pass at a time; a failed delivery is retried by the object's alarm.
 */
import type { Env } from "../../platform/env";
import type { FeedItem, RowToStore } from "../contract";
import type { CollectionDef } from "../model/collection";
import type { CollectionTables } from "../storage/rows-store";
import { deliverFeed, feedItem } from "./feed";

/** Feed items delivered to profiles per pass. */
const FEED_BATCH = 200;
/** Delay before retrying feed delivery that failed. */
const FEED_RETRY_MS = 5_000;

/** A collection object's outbox of rows for profiles, over its tables. */
export class FeedOutbox {
  /** Feed deliveries run one at a time. */
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly env: Env,
    private readonly tables: CollectionTables,
  ) {}

  /** Upserts checked rows and queues the feed items of those that reach a profile (call inside a transaction). */
  storeRows(def: CollectionDef, rows: RowToStore[]): { created: number; updated: number } {
    const feed = rows.map((r) => feedItem(def, r.key, r.data, r.matches)).filter((f): f is FeedItem => f !== null);
    return this.tables.upsert(rows, feed, Date.now());
  }

  /** Delivers queued rows to profiles; false when some failed (an alarm retries). */
  drain(): Promise<boolean> {
    const run = this.lock.then(async () => {
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
          await this.storage.setAlarm(Date.now() + FEED_RETRY_MS);
          return false;
        }
        this.tables.feedDone(batch[batch.length - 1]!.seq);
      }
    });
    this.lock = run.catch(() => undefined);
    return run;
  }
}
