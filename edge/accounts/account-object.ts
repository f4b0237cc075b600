import { DurableObject } from "cloudflare:workers";
import type { Env } from "../platform/env";
import { defaultSettings, type AccountRecord } from "./settings";
import type { AudienceDefinitions, AudienceGroup, AudienceJob, AudienceRecord } from "./audience-records";
import { stubOf } from "../platform/stub";
import { ACCOUNT_DIRECTORY } from "./directory";
import type { AccountRpc, AudienceJobRunner, SettingsPatch, TokenRecord } from "./contract";
import { base64url, randomBytes } from "../platform/encoding";
import { SubscriptionTable } from "./subscription-store";
import { subscriptionRoutes, type SubscriptionIndex, type SubscriptionRecord } from "./subscription-catalog";
import { MAX_PRIVACY_REQUESTS, type PrivacyRequest } from "./privacy-requests";
import { HostSightingTable, type HostSighting } from "./host-sightings";

/**
 * One object per account: its configuration. It sits on the path of
 * configuration reads only; workers cache what it returns (see
 * accounts/config.ts), so it is not on the hot path of every event.
 */
export class AccountObject extends DurableObject<Env> implements AccountRpc {
  private readonly sql: SqlStorage;
  private readonly subscriptions: SubscriptionTable;
  private readonly hosts: HostSightingTable;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.subscriptions = new SubscriptionTable(this.sql);
    this.hosts = new HostSightingTable(this.sql);
  }

  /** Notes that pages on `hosts` sent events (accounts/host-sightings.ts). */
  async noteHosts(hosts: string[], at: number): Promise<void> {
    if (this.exists()) this.hosts.note(hosts, at);
  }

  /** When the edge saw events from pages on `host`, or null. */
  async hostSighting(host: string): Promise<HostSighting | null> {
    return this.hosts.get(host);
  }

  /** True once the account was created: lookups of unknown ids store nothing. */
  private exists(): boolean {
    return this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kv'").toArray().length > 0;
  }

  private read<T>(key: string): T | null {
    if (!this.exists()) return null;
    const row = this.sql.exec<{ value: string }>("SELECT value FROM kv WHERE key = ?", key).toArray()[0];
    return row ? (JSON.parse(row.value) as T) : null;
  }

  private write(key: string, value: unknown): void {
    this.sql.exec("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    this.sql.exec(
      "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }

  private tokensTable(): void {
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, record TEXT NOT NULL)",
    );
  }

  /** Stores (or updates) a data-subject deletion request. */
  async putPrivacyRequest(record: PrivacyRequest): Promise<void> {
    this.sql.exec(
      "CREATE TABLE IF NOT EXISTS privacy_requests (id TEXT PRIMARY KEY, created TEXT NOT NULL, record TEXT NOT NULL)",
    );
    this.sql.exec(
      "INSERT INTO privacy_requests (id, created, record) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record",
      record.request_id,
      record.created,
      JSON.stringify(record),
    );
    this.sql.exec(
      "DELETE FROM privacy_requests WHERE id NOT IN (SELECT id FROM privacy_requests ORDER BY created DESC LIMIT ?)",
      MAX_PRIVACY_REQUESTS,
    );
  }

  /** A deletion request by id, or null. */
  async getPrivacyRequest(id: string): Promise<PrivacyRequest | null> {
    if (this.sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'privacy_requests'").toArray().length === 0)
      return null;
    const row = this.sql.exec<{ record: string }>("SELECT record FROM privacy_requests WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.record) as PrivacyRequest) : null;
  }

  /** Stores a token by the SHA-256 hash of its secret. */
  async addToken(hash: string, record: TokenRecord): Promise<void> {
    this.tokensTable();
    this.sql.exec("INSERT INTO tokens (id, hash, record) VALUES (?, ?, ?)", record.id, hash, JSON.stringify(record));
  }

  /** Every token of the account (records only). */
  async listTokens(): Promise<TokenRecord[]> {
    this.tokensTable();
    return this.sql
      .exec<{ record: string }>("SELECT record FROM tokens ORDER BY id")
      .toArray()
      .map((r) => JSON.parse(r.record) as TokenRecord);
  }

  /** Deletes a token; false when there was none with that id. */
  async deleteToken(id: string): Promise<boolean> {
    this.tokensTable();
    return this.sql.exec("DELETE FROM tokens WHERE id = ?", id).rowsWritten > 0;
  }

  /** The record of the token with this hash, unless unknown or expired. */
  async verifyToken(hash: string): Promise<TokenRecord | null> {
    if (!this.exists()) return null;
    this.tokensTable();
    const row = this.sql.exec<{ record: string }>("SELECT record FROM tokens WHERE hash = ?", hash).toArray()[0];
    if (!row) return null;
    const record = JSON.parse(row.record) as TokenRecord;
    if (record.expires && Date.parse(record.expires) <= Date.now()) return null;
    return record;
  }

  /**
   * The secret the site's backend signs identities with (HMAC), created on
   * first use; `rotate` replaces it. Null when the account does not exist.
   */
  async identitySecret(rotate = false): Promise<string | null> {
    if (!this.read("account")) return null;
    let secret = this.read<string>("identity_secret");
    if (!secret || rotate) {
      secret = base64url(randomBytes(32));
      this.write("identity_secret", secret);
    }
    return secret;
  }

  /** The account, or null when it does not exist. */
  async get(): Promise<AccountRecord | null> {
    const stored = this.read<AccountRecord>("account");
    if (!stored) return null;
    // Settings added after an account was created take their defaults.
    const trigger_fields = [
      ...new Set(
        this.subscriptions.list().flatMap((s) => (s.state === "active" ? (s.config.trigger_fields ?? []) : [])),
      ),
    ].sort();
    return { ...defaultSettings(stored.cid), ...stored, ...this.audienceSummary(), trigger_fields };
  }

  // ---- audiences -------------------------------------------------------

  private audienceTables(): void {
    this.sql.exec(`CREATE TABLE IF NOT EXISTS segments (id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS segment_groups (id TEXT PRIMARY KEY, record TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS segment_jobs (id TEXT PRIMARY KEY, segment_id TEXT NOT NULL, record TEXT NOT NULL);`);
  }

  private audienceSummary(): { segments_version: number; public_segments: string[] } {
    this.audienceTables();
    const version = this.read<number>("segments_version") ?? 0;
    const public_segments = this.audienceList()
      .filter((s) => s.is_public)
      .map((s) => s.slug_name);
    return { segments_version: version, public_segments };
  }

  private audienceList(): AudienceRecord[] {
    this.audienceTables();
    return this.sql
      .exec<{ record: string }>("SELECT record FROM segments ORDER BY slug")
      .toArray()
      .map((r) => JSON.parse(r.record) as AudienceRecord);
  }

  private bump(): number {
    const v = (this.read<number>("segments_version") ?? 0) + 1;
    this.write("segments_version", v);
    return v;
  }

  /** Every audience of the account, by slug. */
  async listAudiences(): Promise<AudienceRecord[]> {
    return this.audienceList();
  }

  /** An audience by id or slug. */
  async getAudience(idOrSlug: string): Promise<AudienceRecord | null> {
    return this.audienceList().find((s) => s.id === idOrSlug || s.slug_name === idOrSlug) ?? null;
  }

  /** What profile objects evaluate: the audiences' asts at a version. */
  async audienceDefinitions(): Promise<AudienceDefinitions> {
    const segments = this.audienceList().map((s) => ({ slug: s.slug_name, kind: s.kind, ast: s.ast }));
    return { version: this.read<number>("segments_version") ?? 0, segments };
  }

  /**
   * Stores an audience (insert or replace by id). Refuses a slug another
   * audience has. The caller validated the definition (cycles, includes).
   */
  async putAudience(record: AudienceRecord): Promise<{ ok: true; version: number } | { ok: false; conflict: string }> {
    this.audienceTables();
    const clash = this.sql
      .exec<{ id: string }>("SELECT id FROM segments WHERE slug = ? AND id != ?", record.slug_name, record.id)
      .toArray()[0];
    if (clash) return { ok: false, conflict: clash.id };
    this.sql.exec(
      "INSERT INTO segments (id, slug, record) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET slug = excluded.slug, record = excluded.record",
      record.id,
      record.slug_name,
      JSON.stringify(record),
    );
    return { ok: true, version: this.bump() };
  }

  /** Deletes an audience; false when unknown. */
  async deleteAudience(id: string): Promise<boolean> {
    this.audienceTables();
    const gone = this.sql.exec("DELETE FROM segments WHERE id = ?", id).rowsWritten > 0;
    if (gone) this.bump();
    return gone;
  }

  /** Audience groups. */
  async listGroups(): Promise<AudienceGroup[]> {
    this.audienceTables();
    return this.sql
      .exec<{ record: string }>("SELECT record FROM segment_groups ORDER BY id")
      .toArray()
      .map((r) => JSON.parse(r.record) as AudienceGroup);
  }

  /** Stores a group (insert or replace by id). */
  async putGroup(group: AudienceGroup): Promise<void> {
    this.audienceTables();
    this.sql.exec(
      "INSERT INTO segment_groups (id, record) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record",
      group.id,
      JSON.stringify(group),
    );
  }

  /** Deletes a group and removes it from its audiences (which stay). */
  async deleteGroup(id: string): Promise<boolean> {
    this.audienceTables();
    const gone = this.sql.exec("DELETE FROM segment_groups WHERE id = ?", id).rowsWritten > 0;
    if (gone) {
      for (const s of this.audienceList()) {
        if (s.groups.includes(id)) {
          const next = { ...s, groups: s.groups.filter((g) => g !== id) };
          this.sql.exec("UPDATE segments SET record = ? WHERE id = ?", JSON.stringify(next), s.id);
        }
      }
    }
    return gone;
  }

  /** Jobs of an audience, newest first. */
  async listJobs(segmentId: string): Promise<AudienceJob[]> {
    this.audienceTables();
    return this.sql
      .exec<{ record: string }>("SELECT record FROM segment_jobs WHERE segment_id = ?", segmentId)
      .toArray()
      .map((r) => JSON.parse(r.record) as AudienceJob)
      .sort((a, b) => b.created.localeCompare(a.created));
  }

  /** Stores a job record. */
  async putJob(job: AudienceJob): Promise<void> {
    this.audienceTables();
    this.sql.exec(
      "INSERT INTO segment_jobs (id, segment_id, record) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET record = excluded.record",
      job.id,
      job.segment_id,
      JSON.stringify(job),
    );
  }

  /** Queues a job and starts working on it in the background (alarms). */
  async startJob(job: AudienceJob): Promise<AudienceJob> {
    await this.putJob(job);
    this.write(`job_cursor:${job.id}`, "");
    await this.ctx.storage.setAlarm(Date.now());
    return job;
  }

  /** Alarm: one step of the oldest unfinished job, then the next step. */
  override async alarm(): Promise<void> {
    this.audienceTables();
    const account = await this.get();
    const jobs = this.sql
      .exec<{ record: string }>("SELECT record FROM segment_jobs")
      .toArray()
      .map((r) => JSON.parse(r.record) as AudienceJob);
    const job = jobs
      .filter((j) => j.state === "queued" || j.state === "running")
      .sort((a, b) => a.created.localeCompare(b.created))[0];
    if (!job || !account) return;
    try {
      const cursor = this.read<string>(`job_cursor:${job.id}`) ?? "";
      // The step runs in the audiences domain (it reads identity shards and
      // re-evaluates profiles), on the audience index object `${cid}/jobs`.
      const runner = stubOf<AudienceJobRunner>(this.env.AUDIENCES, `${account.cid}/jobs`);
      const step = await runner.runJobStep(account, job, cursor);
      await this.putJob(step.job);
      this.write(`job_cursor:${job.id}`, step.cursor);
    } catch (err) {
      await this.putJob({ ...job, state: "failed", error: String(err), updated: new Date().toISOString() });
    }
    await this.ctx.storage.setAlarm(Date.now() + 10);
  }

  // ---- subscriptions (webhooks) ----------------------------------------

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
    const version = `${this.subscriptions.version()}.${this.read<number>("segments_version") ?? 0}`;
    if (version === known) return { version, unchanged: true };
    return { version, routes: subscriptionRoutes(this.subscriptions.list(), this.audienceList()) };
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
    this.write("account", account);
    // Every save (re)lists the account in the directory: re-posting an account created before the directory lists it.
    await stubOf<AccountRpc>(this.env.ACCOUNT, ACCOUNT_DIRECTORY).enlist(cid);
    return { account, created: !current };
  }

  // ---- directory (only in the object named ACCOUNT_DIRECTORY) -----------

  /** Directory: records that the account `cid` exists. */
  async enlist(cid: string): Promise<void> {
    this.sql.exec("CREATE TABLE IF NOT EXISTS directory (cid TEXT PRIMARY KEY)");
    this.sql.exec("INSERT OR IGNORE INTO directory (cid) VALUES (?)", cid);
  }

  /** Directory: true when the account `cid` exists (stores nothing). */
  async listed(cid: string): Promise<boolean> {
    const table = this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'directory'").toArray();
    return table.length > 0 && this.sql.exec("SELECT 1 FROM directory WHERE cid = ?", cid).toArray().length > 0;
  }
}
