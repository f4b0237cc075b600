import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { defaultSettings, type AccountRecord, type AccountSettings } from "../lib/account-schema";

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

  /** The account, or null when it does not exist. */
  async get(): Promise<AccountRecord | null> {
    return this.read<AccountRecord>("account");
  }

  /**
   * Creates the account (defaults completed by `patch`) or applies `patch`
   * to the existing one. Returns the stored record and whether it is new.
   */
  async upsert(cid: string, patch: SettingsPatch): Promise<{ account: AccountRecord; created: boolean }> {
    const now = new Date().toISOString();
    const current = this.read<AccountRecord>("account");
    const base: AccountRecord = current ?? { ...defaultSettings(cid), cid, created: now, updated: now };
    const account: AccountRecord = { ...base, ...patch, tag: { ...base.tag, ...patch.tag }, cid, updated: now };
    this.write("account", account);
    return { account, created: !current };
  }
}
