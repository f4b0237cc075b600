import type { Env } from "../../platform/env";
import { ContentViews } from "../affinity/content-views";
import { ExperienceFold } from "../experiences/experience-fold";
import { AbsorbedTable } from "./absorbed-store";
import { ActivityStore } from "./activity-store";
import { IdentifierTable } from "./identifier-store";
import { MembershipTable } from "./membership-store";
import { MetaTable } from "./meta-store";
import { ObservationTable } from "./observation-store";
import { OutboxTable } from "./outbox-store";
import { RecentEventLog } from "./recent-events";
import { createProfileTables, upgradeProfileTables } from "./schema";
import { SeenEventTable } from "./seen-store";

/**
 * Everything one profile object stores, one store per table (or meta key
 * group), sharing the object's SQLite storage. The object owns its storage
 * and runs one request at a time, so the stores' memory mirrors stay exact;
 * {@link dropCaches} forgets them whenever storage is rewritten wholesale
 * (absorb, erase).
 */
export class ProfileStores {
  readonly meta: MetaTable;
  readonly activity: ActivityStore;
  readonly observations: ObservationTable;
  readonly identifiers: IdentifierTable;
  readonly seen: SeenEventTable;
  readonly absorbed: AbsorbedTable;
  readonly outbox: OutboxTable;
  /** Content viewed: topic affinities and visited documents (affinity/content-views.ts). */
  readonly content: ContentViews;
  membership: MembershipTable;
  /** Experiences this profile met, and the report deltas it owes (experiences/). */
  xp: ExperienceFold;
  /** The last events accepted, for the timeline (storage/recent-events.ts). */
  recent: RecentEventLog;

  constructor(
    readonly sql: SqlStorage,
    private readonly env: Env,
  ) {
    this.meta = new MetaTable(sql);
    this.content = new ContentViews({
      get: (key) => this.meta.get(key),
      set: (key, value) => this.meta.set(key, value),
    });
    createProfileTables(sql);
    upgradeProfileTables(sql);
    this.activity = new ActivityStore(this.meta);
    this.observations = new ObservationTable(sql);
    this.identifiers = new IdentifierTable(sql);
    this.seen = new SeenEventTable(sql);
    this.absorbed = new AbsorbedTable(sql);
    this.outbox = new OutboxTable(sql);
    this.membership = new MembershipTable(sql);
    this.xp = new ExperienceFold(sql, env);
    this.recent = new RecentEventLog(sql);
  }

  /** Forgets every memory mirror: the next read asks storage. */
  dropCaches(): void {
    this.meta.dropCache();
    this.observations.dropCache();
    this.identifiers.dropCache();
    this.activity.dropCache();
    this.outbox.dropCache();
    this.membership.dropCache();
  }

  /** Creates the tables again after storage was deleted (erase); the caches must be dropped first. */
  recreate(): void {
    createProfileTables(this.sql);
    this.membership = new MembershipTable(this.sql);
    this.xp = new ExperienceFold(this.sql, this.env);
    this.recent = new RecentEventLog(this.sql);
  }
}
