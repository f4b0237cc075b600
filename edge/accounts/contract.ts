/**
 * What the accounts domain shows others: the RPC surface of the account
 * object (one per account: its configuration — settings, tokens, the
 * audience catalog, the subscription catalog and reevaluation jobs) and the
 * values it keeps.
 */
import type {
  AudienceDefinitions,
  AudienceDelta,
  AudienceGroup,
  AudienceJob,
  AudienceRecord,
} from "./records/audience-records";
import type { Role } from "./access/roles";
import type { PrivacyRequest } from "./records/privacy-requests";
import type { HostSighting } from "./storage/host-sightings";
import type { AccountRecord, AccountSettings } from "./settings/settings";
import type { SubscriptionIndex, SubscriptionRecord } from "./records/subscription-catalog";

/** Who is calling a management endpoint. */
export interface AuthContext {
  role: Role;
  /** The bootstrap `ADMIN_TOKEN`: admin of every account. */
  root: boolean;
  /** The account the token belongs to (null for the root token). */
  cid: string | null;
  /** Profile fields the token is limited to, or null for all. */
  attributes: string[] | null;
  /** Token id (null for the root token). */
  tokenId: string | null;
}

/** A stored API token: its hash, never the token itself. */
export interface TokenRecord {
  id: string;
  name: string;
  role: Role;
  /** When set, the token may read and write only these profile fields. */
  attributes: string[] | null;
  /** Expiry, ISO-8601, or null. */
  expires: string | null;
  created: string;
}

/** A change of an account's settings (`tag` merged key by key). */
export type SettingsPatch = Partial<Omit<AccountSettings, "tag">> & { tag?: Partial<AccountSettings["tag"]> };

/** RPC surface of an account object (accounts/account-object.ts implements it). */
export interface AccountRpc {
  /** Stores a token by the SHA-256 hash of its secret. */
  addToken(hash: string, record: TokenRecord): Promise<void>;
  /** Every token of the account (records only). */
  listTokens(): Promise<TokenRecord[]>;
  /** Deletes a token; false when there was none with that id. */
  deleteToken(id: string): Promise<boolean>;
  /** The record of the token with this hash, unless unknown or expired. */
  verifyToken(hash: string): Promise<TokenRecord | null>;
  /**
   * The secret the site's backend signs identities with (HMAC), created on
   * first use; `rotate` replaces it. Null when the account does not exist.
   */
  identitySecret(rotate?: boolean): Promise<string | null>;
  /** The account, or null when it does not exist. */
  get(): Promise<AccountRecord | null>;
  /** Directory object only (accounts/settings/directory.ts): records that the account `cid` exists. */
  enlist(cid: string): Promise<void>;
  /** Directory object only: true when the account `cid` exists; stores nothing. */
  listed(cid: string): Promise<boolean>;
  /** Every audience of the account, by slug. */
  listAudiences(): Promise<AudienceRecord[]>;
  /** Stores (or updates) a data-subject deletion request. */
  putPrivacyRequest(record: PrivacyRequest): Promise<void>;
  /** A deletion request by id, or null. */
  getPrivacyRequest(id: string): Promise<PrivacyRequest | null>;
  /** An audience by id or slug. */
  getAudience(idOrSlug: string): Promise<AudienceRecord | null>;
  /** The audiences of these slugs that exist (work per slug asked, not per audience stored). */
  audiencesBySlug(slugs: string[]): Promise<AudienceRecord[]>;
  /** The audiences whose definitions INCLUDE `slug`, by slug (an index lookup, not a list of every audience). */
  audiencesIncluding(slug: string): Promise<AudienceRecord[]>;
  /** Number of audiences. */
  countAudiences(): Promise<number>;
  /** What profile objects evaluate: the audiences' asts at a version. */
  audienceDefinitions(): Promise<AudienceDefinitions>;
  /** The audience changes after version `since`, or null when a full audienceDefinitions() is needed. */
  audienceChangesSince(since: number): Promise<AudienceDelta | null>;
  /**
   * Stores an audience (insert or replace by id). Refuses a slug another
   * audience has. The caller validated the definition (cycles, includes).
   */
  putAudience(record: AudienceRecord): Promise<{ ok: true; version: number } | { ok: false; conflict: string }>;
  /** Deletes an audience; false when unknown. */
  deleteAudience(id: string): Promise<boolean>;
  /** Audience groups. */
  listGroups(): Promise<AudienceGroup[]>;
  /** Stores a group (insert or replace by id). */
  putGroup(group: AudienceGroup): Promise<void>;
  /** Deletes a group and removes it from its audiences (which stay). */
  deleteGroup(id: string): Promise<boolean>;
  /** Jobs of an audience, newest first. */
  listJobs(segmentId: string): Promise<AudienceJob[]>;
  /** Stores a job record. */
  putJob(job: AudienceJob): Promise<void>;
  /** Queues a job and starts working on it in the background (alarms). */
  startJob(job: AudienceJob): Promise<AudienceJob>;
  /** Every subscription of the account. */
  listSubscriptions(): Promise<SubscriptionRecord[]>;
  /** A subscription by id, or null. */
  getSubscription(id: string): Promise<SubscriptionRecord | null>;
  /** Stores a subscription (insert or replace by id). */
  putSubscription(record: SubscriptionRecord): Promise<void>;
  /** Deletes a subscription; false when unknown. */
  deleteSubscription(id: string): Promise<boolean>;
  /** Where audience changes go (for the queue sink), unless `known` is still the current version. */
  subscriptionIndex(known: string | null): Promise<SubscriptionIndex>;
  /**
   * Creates the account (defaults completed by `patch`) or applies `patch`
   * to the existing one. Returns the stored record and whether it is new.
   */
  upsert(cid: string, patch: SettingsPatch): Promise<{ account: AccountRecord; created: boolean }>;
  /** Notes that pages on `hosts` sent the account events at `at` (epoch ms). */
  noteHosts(hosts: string[], at: number): Promise<void>;
  /** When the edge saw events from pages on `host`, or null. */
  hostSighting(host: string): Promise<HostSighting | null>;
}

/**
 * Runs one step of an audience reevaluation job. The account object keeps
 * jobs and schedules their steps; the audiences domain runs them (its
 * audience index object implements this), since a step reads identity
 * shards and re-evaluates profiles, domains above accounts.
 */
export interface AudienceJobRunner {
  runJobStep(account: AccountRecord, job: AudienceJob, cursor: string): Promise<JobStep>;
}

/** One step of an audience job: the job as it now stands, where the next step starts, and when it may start. */
export interface JobStep {
  job: AudienceJob;
  cursor: string;
  /** The earliest time (epoch ms) for the next step: a job wakes profiles at a bounded rate. */
  nextStepAt: number;
}
