import { DurableObject } from "cloudflare:workers";
import type { Env } from "../platform/env";
import { stubOf } from "../platform/stub";
import { AccountKv } from "./storage/account-kv";
import { AudienceJobTable } from "./storage/audience-job-store";
import type {
  AudienceDefinitions,
  AudienceDelta,
  AudienceGroup,
  AudienceJob,
  AudienceRecord,
} from "./records/audience-records";
import { AudienceCatalogTable } from "./storage/audience-store";
import type { AccountRpc, AudienceJobRunner, SettingsPatch, TokenRecord } from "./contract";
import { ACCOUNT_DIRECTORY } from "./settings/directory";
import { DirectoryTable } from "./storage/directory-store";
import { HostSightingTable, type HostSighting } from "./storage/host-sightings";
import { PrivacyRequestTable } from "./storage/privacy-request-store";
import type { PrivacyRequest } from "./records/privacy-requests";
import { defaultSettings, type AccountRecord } from "./settings/settings";
import { SettingsStore } from "./storage/settings-store";
import { subscriptionRoutes, type SubscriptionIndex, type SubscriptionRecord } from "./records/subscription-catalog";
import { SubscriptionTable } from "./storage/subscription-store";
import { TokenTable } from "./storage/token-store";

/**
 * One object per account: its configuration. It sits on the path of
 * configuration reads only; workers cache what it returns (see
 * accounts/settings/config.ts), so it is not on the hot path of every event.
 *
 * The class is the RPC surface only: each aggregate's rows and SQL live in
 * its own store (settings, tokens, privacy requests, audience catalog,
 * audience jobs, subscriptions, host sightings, directory).
 */
export class AccountObject extends DurableObject<Env> implements AccountRpc {
  private readonly kv: AccountKv;
  private readonly settings: SettingsStore;
  private readonly tokens: TokenTable;
  private readonly privacy: PrivacyRequestTable;
  private readonly audiences: AudienceCatalogTable;
  private readonly jobs: AudienceJobTable;
  private readonly subscriptions: SubscriptionTable;
  private readonly hosts: HostSightingTable;
  private readonly directory: DirectoryTable;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    this.kv = new AccountKv(sql);
    this.settings = new SettingsStore(this.kv);
    this.tokens = new TokenTable(sql);
    this.privacy = new PrivacyRequestTable(sql);
    this.audiences = new AudienceCatalogTable(sql, this.kv);
    this.jobs = new AudienceJobTable(sql, this.kv);
    this.subscriptions = new SubscriptionTable(sql);
    this.hosts = new HostSightingTable(sql);
    this.directory = new DirectoryTable(sql);
  }

  // ---- settings ----------------------------------------------------------

  /** The account, or null when it does not exist. */
  async get(): Promise<AccountRecord | null> {
    const stored = this.settings.stored();
    if (!stored) return null;
    // Settings added after an account was created take their defaults.
    const trigger_fields = [
      ...new Set(
        this.subscriptions.list().flatMap((s) => (s.state === "active" ? (s.config.trigger_fields ?? []) : [])),
      ),
    ].sort();
    return { ...defaultSettings(stored.cid), ...stored, ...this.audiences.summary(), trigger_fields };
  }

  /**
   * Creates the account (defaults completed by `patch`) or applies `patch`
   * to the existing one. Returns the stored record and whether it is new.
   */
  async upsert(cid: string, patch: SettingsPatch): Promise<{ account: AccountRecord; created: boolean }> {
    const now = new Date().toISOString();
    const current = await this.get();
    const base: AccountRecord = current ?? { ...defaultSettings(cid), cid, created: now, updated: now };
    const account: AccountRecord = { ...base, ...patch, tag: { ...base.tag, ...patch.tag }, cid, updated: now };
    this.settings.save(account);
    // Every save (re)lists the account in the directory: re-posting an account created before the directory lists it.
    await stubOf<AccountRpc>(this.env.ACCOUNT, ACCOUNT_DIRECTORY).enlist(cid);
    return { account, created: !current };
  }

  /**
   * The secret the site's backend signs identities with (HMAC), created on
   * first use; `rotate` replaces it. Null when the account does not exist.
   */
  async identitySecret(rotate = false): Promise<string | null> {
    return this.settings.identitySecret(rotate);
  }

  // ---- tokens ------------------------------------------------------------

  /** Stores a token by the SHA-256 hash of its secret. */
  async addToken(hash: string, record: TokenRecord): Promise<void> {
    this.tokens.add(hash, record);
  }

  /** Every token of the account (records only). */
  async listTokens(): Promise<TokenRecord[]> {
    return this.tokens.list();
  }

  /** Deletes a token; false when there was none with that id. */
  async deleteToken(id: string): Promise<boolean> {
    return this.tokens.delete(id);
  }

  /** The record of the token with this hash, unless unknown or expired. */
  async verifyToken(hash: string): Promise<TokenRecord | null> {
    if (!this.kv.exists()) return null;
    return this.tokens.verify(hash, Date.now());
  }

  // ---- privacy requests --------------------------------------------------

  /** Stores (or updates) a data-subject deletion request. */
  async putPrivacyRequest(record: PrivacyRequest): Promise<void> {
    this.privacy.put(record);
  }

  /** A deletion request by id, or null. */
  async getPrivacyRequest(id: string): Promise<PrivacyRequest | null> {
    return this.privacy.get(id);
  }

  // ---- host sightings ----------------------------------------------------

  /** Notes that pages on `hosts` sent events (accounts/storage/host-sightings.ts). */
  async noteHosts(hosts: string[], at: number): Promise<void> {
    if (this.kv.exists()) this.hosts.note(hosts, at);
  }

  /** When the edge saw events from pages on `host`, or null. */
  async hostSighting(host: string): Promise<HostSighting | null> {
    return this.hosts.get(host);
  }

  // ---- audiences ---------------------------------------------------------

  /** Every audience of the account, by slug. */
  async listAudiences(): Promise<AudienceRecord[]> {
    return this.audiences.list();
  }

  /** An audience by id or slug. */
  async getAudience(idOrSlug: string): Promise<AudienceRecord | null> {
    return this.audiences.get(idOrSlug);
  }

  /** The audiences of these slugs that exist. */
  async audiencesBySlug(slugs: string[]): Promise<AudienceRecord[]> {
    return this.audiences.bySlugs(slugs);
  }

  /** The audiences whose definitions INCLUDE `slug`, by slug. */
  async audiencesIncluding(slug: string): Promise<AudienceRecord[]> {
    return this.audiences.includers(slug);
  }

  /** Number of audiences. */
  async countAudiences(): Promise<number> {
    return this.audiences.count();
  }

  /** What profile objects evaluate: the audiences' asts at a version. */
  async audienceDefinitions(): Promise<AudienceDefinitions> {
    return this.audiences.definitions();
  }

  /** The audience changes after version `since`, or null when a full audienceDefinitions() is needed. */
  async audienceChangesSince(since: number): Promise<AudienceDelta | null> {
    return this.audiences.changesSince(since);
  }

  /**
   * Stores an audience (insert or replace by id). Refuses a slug another
   * audience has. The caller validated the definition (cycles, includes).
   */
  async putAudience(record: AudienceRecord): Promise<{ ok: true; version: number } | { ok: false; conflict: string }> {
    return this.audiences.put(record);
  }

  /** Deletes an audience; false when unknown. */
  async deleteAudience(id: string): Promise<boolean> {
    return this.audiences.delete(id);
  }

  /** Audience groups. */
  async listGroups(): Promise<AudienceGroup[]> {
    return this.audiences.listGroups();
  }

  /** Stores a group (insert or replace by id). */
  async putGroup(group: AudienceGroup): Promise<void> {
    this.audiences.putGroup(group);
  }

  /** Deletes a group and removes it from its audiences (which stay). */
  async deleteGroup(id: string): Promise<boolean> {
    return this.audiences.deleteGroup(id);
  }

  // ---- audience jobs -----------------------------------------------------

  /** Jobs of an audience, newest first. */
  async listJobs(segmentId: string): Promise<AudienceJob[]> {
    return this.jobs.list(segmentId);
  }

  /** Stores a job record. */
  async putJob(job: AudienceJob): Promise<void> {
    this.jobs.put(job);
  }

  /** Queues a job and starts working on it in the background (alarms). */
  async startJob(job: AudienceJob): Promise<AudienceJob> {
    this.jobs.put(job);
    this.jobs.setCursor(job.id, "");
    await this.ctx.storage.setAlarm(Date.now());
    return job;
  }

  /** Alarm: one step of the oldest unfinished job, then the next step (no sooner than the step allows). */
  override async alarm(): Promise<void> {
    const account = await this.get();
    const job = this.jobs.nextUnfinished();
    if (!job || !account) return;
    let nextStepAt = 0;
    try {
      const cursor = this.jobs.cursor(job.id);
      // The step runs in the audiences domain (it reads identity shards and
      // re-evaluates profiles), on the audience index object `${cid}/jobs`.
      const runner = stubOf<AudienceJobRunner>(this.env.AUDIENCES, `${account.cid}/jobs`);
      const step = await runner.runJobStep(account, job, cursor);
      this.jobs.put(step.job);
      this.jobs.setCursor(job.id, step.cursor);
      nextStepAt = step.nextStepAt;
    } catch (err) {
      this.jobs.put({ ...job, state: "failed", error: String(err), updated: new Date().toISOString() });
    }
    await this.ctx.storage.setAlarm(Math.max(Date.now() + 10, nextStepAt));
  }

  // ---- subscriptions (webhooks) ------------------------------------------

  /** Every subscription of the account. */
  async listSubscriptions(): Promise<SubscriptionRecord[]> {
    return this.subscriptions.list();
  }

  /** A subscription by id, or null. */
  async getSubscription(id: string): Promise<SubscriptionRecord | null> {
    return this.subscriptions.get(id);
  }

  /** Stores a subscription (insert or replace by id). */
  async putSubscription(record: SubscriptionRecord): Promise<void> {
    this.subscriptions.put(record);
  }

  /** Deletes a subscription; false when unknown. */
  async deleteSubscription(id: string): Promise<boolean> {
    return this.subscriptions.delete(id);
  }

  /** Where audience changes go (for the queue sink), unless `known` is still the current version. */
  async subscriptionIndex(known: string | null): Promise<SubscriptionIndex> {
    const version = `${this.subscriptions.version()}.${this.audiences.version()}`;
    if (version === known) return { version, unchanged: true };
    const subscriptions = this.subscriptions.list();
    // Only the audiences subscriptions name: the routes cost the same at 100 or 10,000 audiences.
    const named = this.audiences.byIds(subscriptions.flatMap((s) => s.config.segment_ids));
    return { version, routes: subscriptionRoutes(subscriptions, named) };
  }

  // ---- directory (only in the object named ACCOUNT_DIRECTORY) -----------

  /** Directory: records that the account `cid` exists. */
  async enlist(cid: string): Promise<void> {
    this.directory.enlist(cid);
  }

  /** Directory: true when the account `cid` exists (stores nothing). */
  async listed(cid: string): Promise<boolean> {
    return this.directory.listed(cid);
  }
}
