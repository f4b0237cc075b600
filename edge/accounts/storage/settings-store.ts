import { base64url, randomBytes } from "../../platform/encoding";
import type { AccountKv } from "./account-kv";
import type { AccountRecord } from "../settings/settings";

/**
 * The account's own record (kv `account`, as saved: settings added later
 * are completed with their defaults when read) and its identity secret
 * (kv `identity_secret`).
 */
export class SettingsStore {
  constructor(private readonly kv: AccountKv) {}

  /** The record as stored, or null when the account does not exist. */
  stored(): AccountRecord | null {
    return this.kv.read<AccountRecord>("account");
  }

  /** Stores the record (creating the account). */
  save(account: AccountRecord): void {
    this.kv.write("account", account);
  }

  /**
   * The secret the site's backend signs identities with (HMAC), created on
   * first use; `rotate` replaces it. Null when the account does not exist.
   */
  identitySecret(rotate: boolean): string | null {
    if (!this.stored()) return null;
    let secret = this.kv.read<string>("identity_secret");
    if (!secret || rotate) {
      secret = base64url(randomBytes(32));
      this.kv.write("identity_secret", secret);
    }
    return secret;
  }
}
