import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { defaultSettings, type AccountRecord, type AccountSettings } from "../lib/account-schema";
import type { Role } from "../lib/auth";

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

type SettingsPatch = Partial<Omit<AccountSettings, "tag">> & { tag?: Partial<AccountSettings["tag"]> };

/**
 * One object per account: its configuration. It sits on the path of
 * configuration reads only; workers cache what it returns (see
 * lib/account-config.ts), so it is not on the hot path of every event.
 */
export class AccountObject extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
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
    this.sql.exec("INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, JSON.stringify(value));
  }

  private tokensTable(): void {
    this.sql.exec("CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, record TEXT NOT NULL)");
  }

  /** Stores a token by the SHA-256 hash of its secret. */
  async addToken(hash: string, record: TokenRecord): Promise<void> {
    this.tokensTable();
    this.sql.exec("INSERT INTO tokens (id, hash, record) VALUES (?, ?, ?)", record.id, hash, JSON.stringify(record));
  }

  /** Every token of the account (records only). */
  async listTokens(): Promise<TokenRecord[]> {
    this.tokensTable();
    return this.sql.exec<{ record: string }>("SELECT record FROM tokens ORDER BY id").toArray().map((r) => JSON.parse(r.record) as TokenRecord);
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

  /** The account, or null when it does not exist. */
  async get(): Promise<AccountRecord | null> {
    const stored = this.read<AccountRecord>("account");
    // Settings added after an account was created take their defaults.
    return stored ? { ...defaultSettings(stored.cid), ...stored } : null;
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
    return { account, created: !current };
  }
}
