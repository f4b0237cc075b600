import type { Env } from "../platform/env";
import type { AuthContext } from "./contract";
import type { AccountConfig } from "./settings/config";

/** Hono environment of every sub-app: bindings plus the per-request variables set by the accounts middleware. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The account of a browser call, set by the browser guard. */
    account: AccountConfig;
    /** The caller of a management call, set by `requireRole`. */
    auth: AuthContext;
  };
}
